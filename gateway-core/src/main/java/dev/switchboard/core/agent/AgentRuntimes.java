package dev.switchboard.core.agent;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.agent.AgentRuntime;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/** Builds the {@link AgentRuntime} that {@code [agent] provider} names. */
public final class AgentRuntimes {
    private AgentRuntimes() {}

    /**
     * The runtime for {@code agent}, with the default timeouts and retries.
     *
     * @param apiKey the resolved {@code agent.openai.api_key}, if configured
     * @param client the gateway's shared HTTP client
     * @throws SwitchboardException of kind {@code CONFIG} for an unknown provider or a bad base URL
     */
    public static AgentRuntime create(GatewayConfig.Agent agent, Optional<Secret> apiKey, OkHttpClient client) {
        requireNonNull(client, "client is null");
        return create(agent, apiKey, () -> client);
    }

    /** {@link #create(GatewayConfig.Agent, Optional, OkHttpClient)} asking for the client only when the provider needs one. */
    public static AgentRuntime create(
            GatewayConfig.Agent agent, Optional<Secret> apiKey, Supplier<OkHttpClient> client) {
        requireNonNull(agent, "agent is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(client, "client is null");
        return switch (agent.provider()) {
            case EchoAgentRuntime.ID -> new EchoAgentRuntime();
            case OpenAiAgentRuntime.ID -> new OpenAiAgentRuntime(openAiSettings(agent.openai()), apiKey, client.get());
            default -> throw SwitchboardException.config("agent.provider: \"" + agent.provider() + "\" (expected: "
                    + EchoAgentRuntime.ID + " | " + OpenAiAgentRuntime.ID + ")");
        };
    }

    /**
     * Whether the runtime's provider answers ({@code health {probe:true}}), within {@code timeout}:
     * {@code openai} asks {@code GET /models}; {@code echo} runs in-process and always answers.
     */
    public static ProbeResult probe(AgentRuntime runtime, Duration timeout) {
        requireNonNull(runtime, "runtime is null");
        requireNonNull(timeout, "timeout is null");
        if (runtime instanceof OpenAiAgentRuntime openai) {
            return openai.probe(timeout);
        }
        if (runtime instanceof EchoAgentRuntime) {
            return ProbeResult.ok("echo runs in the gateway");
        }
        return ProbeResult.ok("provider " + runtime.id() + " has no probe");
    }

    /** The default settings for {@code [agent.openai]}. */
    public static OpenAiAgentRuntime.Settings openAiSettings(GatewayConfig.OpenAi openai) {
        requireNonNull(openai, "openai is null");
        String baseUrl = openai.baseUrl();
        if (!(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))
                || okhttp3.HttpUrl.parse(baseUrl) == null) {
            throw SwitchboardException.config("agent.openai.base_url: \"" + baseUrl
                    + "\" (expected: an http or https URL such as" + " https://api.openai.com/v1)");
        }
        if (openai.model().isBlank()) {
            throw SwitchboardException.config("agent.openai.model: \"\" (expected: a model id such as gpt-4o-mini)");
        }
        return OpenAiAgentRuntime.Settings.of(baseUrl, openai.model(), Optional.of(openai.systemPrompt()));
    }
}
