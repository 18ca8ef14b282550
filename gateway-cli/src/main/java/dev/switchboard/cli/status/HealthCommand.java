package dev.switchboard.cli.status;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.internal.GatewayText;
import dev.switchboard.cli.internal.JsonOutput;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard health}: RPC {@code health} on the gateway. Exits 1 when the gateway cannot be
 * reached, answers with an error, reports {@code ok:false}, or (with {@code --probe}) a channel
 * probe fails.
 */
@Command(name = "health", mixinStandardHelpOptions = true, description = "Ask the running gateway how it is.")
public final class HealthCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the gateway's health payload as JSON.")
    private boolean json;

    @Option(
            names = {"--probe", "--verbose"},
            description = "Probe every channel account live (credential check against the platform).")
    private boolean probe;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    HealthCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        GatewayTarget target = GatewayTarget.resolve(globals, env, Workspace.locate(globals, env), channels::get);
        JsonNode health;
        try (GatewaySession session =
                target.connect(List.of(Scopes.READ), probe ? Duration.ofSeconds(30) : Duration.ofSeconds(10))) {
            health = session.call(Methods.HEALTH, GatewaySession.params().put("probe", probe));
        }
        boolean healthy = healthy(health);
        if (json) {
            JsonOutput.print(env.out(), health);
        } else {
            print(target, health, healthy, env.out());
        }
        return healthy ? ExitCodes.OK : ExitCodes.RUNTIME;
    }

    /** {@code ok} is true and no probe that ran failed. */
    static boolean healthy(JsonNode health) {
        if (!health.path("ok").asBoolean(false)) {
            return false;
        }
        for (JsonNode channel : health.path("channels")) {
            JsonNode result = channel.get("probe");
            if (result != null && result.isObject() && !result.path("ok").asBoolean(false)) {
                return false;
            }
        }
        return true;
    }

    private static void print(GatewayTarget target, JsonNode health, boolean healthy, PrintStream out) {
        line(
                out,
                "health",
                (healthy ? "ok" : health.path("ok").asBoolean(false) ? "degraded (a channel probe failed)" : "not ok"));
        line(out, "url", target.url() + " (" + target.kind().wireName() + ")");
        line(
                out,
                "uptime",
                GatewayText.human(Duration.ofMillis(health.path("uptimeMs").asLong())));
        line(out, "version", GatewayText.text(health.get("version")));
        line(out, "instance", GatewayText.text(health.get("instanceId")));
        JsonNode store = health.path("store");
        if (!store.isMissingNode()) {
            line(
                    out,
                    "store",
                    store.path("ok").asBoolean(false)
                            ? "ok (" + store.path("latencyMs").asLong() + " ms)"
                            : "not ok: " + GatewayText.text(store.get("error")));
        }
        JsonNode agent = health.path("agent");
        if (!agent.isMissingNode()) {
            line(
                    out,
                    "agent",
                    GatewayText.text(agent.get("provider"))
                            + (agent.has("probe") ? ", probe " + GatewayText.probe(agent.get("probe")) : ""));
        }
        JsonNode accounts = health.path("channels");
        if (accounts.isEmpty()) {
            line(out, "channels", "none");
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode channel : accounts) {
            List<String> row = new ArrayList<>(List.of(
                    GatewayText.text(channel.get("channel")) + "." + GatewayText.text(channel.get("account")),
                    GatewayText.text(channel.get("state"))));
            if (channel.has("probe")) {
                row.add("probe " + GatewayText.probe(channel.get("probe")));
            }
            JsonNode error = channel.get("lastError");
            if (error != null && !error.isNull()) {
                row.add("last error: " + error.asText());
            }
            rows.add(row);
        }
        GatewayText.align(rows).forEach(row -> line(out, "channel", row));
        out.flush();
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-10s%s%n", label, value);
    }
}
