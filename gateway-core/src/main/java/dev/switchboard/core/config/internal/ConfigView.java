package dev.switchboard.core.config.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigRenderOptions;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import java.util.Map;
import java.util.Optional;

/**
 * The active configuration as JSON for {@code config.get}: every value as loaded, every secret
 * replaced by where it comes from ({@code env SWITCHBOARD_GATEWAY_TOKEN}), never its value.
 */
public final class ConfigView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigView() {}

    public static ObjectNode toJson(GatewayConfig config) {
        ObjectNode root = JSON.createObjectNode();
        GatewayConfig.Gateway gateway = config.gateway();
        ObjectNode g = root.putObject("gateway").put("mode", lower(gateway.mode()));
        gateway.port().ifPresent(port -> g.put("port", port));
        gateway.bind().ifPresent(bind -> g.put("bind", bind));
        ObjectNode auth = g.putObject("auth").put("mode", lower(gateway.auth().mode()));
        secret(auth, "token", gateway.auth().token());
        secret(auth, "password", gateway.auth().password());
        g.putObject("reload").put("mode", lower(gateway.reload()));
        ObjectNode remote = g.putObject("remote");
        gateway.remote().url().ifPresent(url -> remote.put("url", url));
        secret(remote, "token", gateway.remote().token());
        ObjectNode controlUi =
                g.putObject("control_ui").put("enabled", gateway.controlUi().enabled());
        gateway.controlUi().allowedOrigins().forEach(controlUi.putArray("allowed_origins")::add);
        ObjectNode http = g.putObject("http");
        http.putObject("chat_completions").put("enabled", gateway.http().chatCompletions());
        http.putObject("responses").put("enabled", gateway.http().responses());
        http.putObject("tools").put("enabled", gateway.http().tools());
        http.putObject("metrics").put("enabled", gateway.http().metrics());
        ObjectNode hooks = g.putObject("hooks")
                .put("enabled", gateway.hooks().enabled())
                .put("max_per_minute", gateway.hooks().maxPerMinute());
        secret(hooks, "token", gateway.hooks().token());
        g.put("max_payload_bytes", gateway.limits().maxPayloadBytes())
                .put("max_buffered_bytes", gateway.limits().maxBufferedBytes())
                .put("tick_interval_ms", gateway.limits().tickIntervalMs())
                .put("slow_consumer_timeout_ms", gateway.limits().slowConsumerTimeoutMs())
                .put("shutdown_timeout_ms", gateway.shutdownTimeout().toMillis())
                .put("log_level", gateway.logLevel())
                .put("max_connections", gateway.limits().maxConnections())
                .put("request_header_timeout_ms", gateway.limits().requestHeaderTimeoutMs())
                .put("http_idle_timeout_ms", gateway.limits().httpIdleTimeoutMs());

        GatewayConfig.Agent agent = config.agent();
        ObjectNode a =
                root.putObject("agent").put("provider", agent.provider()).put("history_limit", agent.historyLimit());
        ObjectNode openai = a.putObject("openai")
                .put("base_url", agent.openai().baseUrl())
                .put("model", agent.openai().model())
                .put("system_prompt", agent.openai().systemPrompt());
        secret(openai, "api_key", agent.openai().apiKey());
        ObjectNode store = root.putObject("store").put("url", config.store().url());
        config.store().user().ifPresent(user -> store.put("user", user));
        secret(store, "password", config.store().password());

        for (ChannelSection section : config.channels().values()) {
            ObjectNode s = root.putObject(section.channelId()).put("enabled", section.enabled());
            section.defaultAccount().ifPresent(id -> s.put("default_account", id));
            ObjectNode accounts = s.putObject("accounts");
            for (AccountConfig account : section.accounts().values()) {
                ObjectNode node = (ObjectNode) readJson(account.values().root().render(ConfigRenderOptions.concise()));
                for (Map.Entry<String, SecretRef> entry : account.secrets().entrySet()) {
                    node.put(entry.getKey(), describe(entry.getValue()));
                }
                accounts.set(account.accountId(), node);
            }
        }
        return root;
    }

    /** A secret as shown to operators: its source, or that it is a literal. */
    public static String describe(SecretRef ref) {
        return ref instanceof SecretRef.Literal ? "<literal, redacted>" : ref.describe();
    }

    private static void secret(ObjectNode node, String key, Optional<SecretRef> ref) {
        ref.ifPresent(value -> node.put(key, describe(value)));
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("rendered config is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
