package dev.switchboard.cli.status;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.protocol.Status;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchboard status}: a short summary of the running gateway from RPC {@code status} and
 * {@code channels.status}, printed by {@link StatusReport}. Exits 1 when the gateway cannot be
 * reached or answers with an error.
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

    @Override
    public Integer call() {
        GatewayTarget target = targets.resolve();
        StatusReport report = target.ask(
                List.of(Scopes.READ),
                CALL_TIMEOUT,
                session -> new StatusReport(
                        session.call(Methods.STATUS, Status.class),
                        session.call(Methods.CHANNELS_STATUS, ChannelsStatus.class)
                                .channels()));
        report.print(env.out(), json.enabled(), target, env.clock().instant());
        return ExitCodes.OK;
    }
}
