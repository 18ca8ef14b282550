package dev.switchboard.cli.status;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard status}: a short summary of the running gateway from RPC {@code status} and
 * {@code channels.status}. Exits 1 when the gateway cannot be reached or answers with an error.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Summarise the running gateway.")
public final class StatusCommand implements Callable<Integer> {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--json", description = "Print JSON (stable, documented).")
    private boolean json;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    StatusCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        GatewayTarget target = GatewayTarget.resolve(globals, env, Workspace.locate(globals, env), channels::get);
        ObjectNode report = GatewaySession.params()
                .put("url", target.url().toString())
                .put("target", target.kind().wireName())
                .put("urlSource", target.urlSource())
                .put("credentialSource", target.credentialSource());
        try (GatewaySession session = target.connect(List.of(Scopes.READ), CALL_TIMEOUT)) {
            report.setAll((ObjectNode)
                    session.call(Methods.STATUS, GatewaySession.params()).deepCopy());
            report.set(
                    "channels",
                    session.call(Methods.CHANNELS_STATUS, GatewaySession.params())
                            .path("channels")
                            .deepCopy());
        }
        if (json) {
            JsonOutput.print(env.out(), report);
        } else {
            print(report, env.out());
        }
        return ExitCodes.OK;
    }

    private void print(JsonNode report, PrintStream out) {
        line(
                out,
                "gateway",
                "running (up "
                        + GatewayText.human(
                                Duration.ofMillis(report.path("uptimeMs").asLong())) + ")");
        line(
                out,
                "url",
                report.path("url").asText() + " (" + report.path("target").asText() + ", from "
                        + report.path("urlSource").asText() + ")");
        line(
                out,
                "instance",
                GatewayText.text(report.get("instanceId")) + ", version " + GatewayText.text(report.get("version")));
        line(out, "pid", GatewayText.text(report.get("pid")));
        line(
                out,
                "mode",
                GatewayText.text(report.get("mode")) + ", session " + GatewayText.text(report.get("session")));
        line(
                out,
                "auth",
                GatewayText.text(report.get("authMode")) + " (the CLI used "
                        + report.path("credentialSource").asText() + ")");
        line(out, "connections", GatewayText.text(report.get("connections")));
        JsonNode config = report.get("configPath");
        line(out, "config", config == null || config.isNull() ? "built-in defaults" : config.asText());
        line(out, "state dir", GatewayText.text(report.get("stateDir")));
        JsonNode accounts = report.path("channels");
        if (accounts.isEmpty()) {
            line(out, "channels", "none");
        } else {
            out.println();
            GatewayText.channelTable(accounts, false, env.clock().instant()).forEach(out::println);
        }
        out.flush();
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-13s%s%n", label, value);
    }
}
