package dev.switchboard.cli.status;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.GatewayText;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.ChannelStatus;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.protocol.Status;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchboard status}: a short summary of the running gateway from RPC {@code status} and
 * {@code channels.status}. Exits 1 when the gateway cannot be reached or answers with an error.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Summarise the running gateway.")
public final class StatusCommand implements Callable<Integer> {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Mixin
    private JsonOption json;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    StatusCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    /** What the gateway answered: {@code status}, and the accounts of {@code channels.status}. */
    private record Answer(Status status, List<ChannelStatus> channels) {}

    @Override
    public Integer call() {
        GatewayTarget target = targets.resolve();
        Answer answer = target.ask(
                List.of(Scopes.READ),
                CALL_TIMEOUT,
                session -> new Answer(
                        session.call(Methods.STATUS, Status.class),
                        session.call(Methods.CHANNELS_STATUS, ChannelsStatus.class)
                                .channels()));
        json.print(
                env.out(),
                toJson(target, answer),
                out -> print(target, answer, env.clock().instant(), out));
        return ExitCodes.OK;
    }

    /** Where the CLI went and how, then the {@code status} payload with the {@code channels.status} accounts. */
    private static ObjectNode toJson(GatewayTarget target, Answer answer) {
        ObjectNode report = FrameCodec.json()
                .createObjectNode()
                .put("url", target.url().toString())
                .put("target", target.kind().wireName())
                .put("urlSource", target.urlSource())
                .put("credentialSource", target.credentialSource());
        report.setAll(Payloads.toJson(answer.status()));
        report.set("channels", FrameCodec.json().valueToTree(answer.channels()));
        return report;
    }

    private static void print(GatewayTarget target, Answer answer, Instant now, PrintStream out) {
        Status status = answer.status();
        line(out, "gateway", "running (up " + GatewayText.human(Duration.ofMillis(status.uptimeMs())) + ")");
        line(out, "url", target.url() + " (" + target.kind().wireName() + ", from " + target.urlSource() + ")");
        line(out, "instance", status.instanceId() + ", version " + status.version());
        line(out, "pid", String.valueOf(status.pid()));
        line(out, "mode", status.mode() + ", session " + GatewayText.text(status.session()));
        line(out, "auth", status.authMode() + " (the CLI used " + target.credentialSource() + ")");
        line(out, "connections", String.valueOf(status.connections()));
        line(out, "config", status.configPath().orElse("built-in defaults"));
        line(out, "state dir", status.stateDir());
        if (answer.channels().isEmpty()) {
            line(out, "channels", "none");
        } else {
            out.println();
            GatewayText.channelTable(answer.channels(), false, now).forEach(out::println);
        }
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-13s%s%n", label, value);
    }
}
