package dev.switchboard.cli.heartbeat;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.LastHeartbeat;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchboard heartbeat last}: the latest heartbeat run and the next one due (RPC {@code last-heartbeat}). */
@Command(
        name = "last",
        mixinStandardHelpOptions = true,
        description = "Show the latest heartbeat run, whether heartbeats are on and when the next one is due.")
public final class HeartbeatLastCommand implements Callable<Integer> {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Mixin
    private JsonOption json;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    HeartbeatLastCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        LastHeartbeat state = targets.resolve()
                .ask(
                        List.of(Scopes.READ),
                        CALL_TIMEOUT,
                        session -> session.call(Methods.LAST_HEARTBEAT, LastHeartbeat.class));
        json.print(env.out(), state, out -> HeartbeatText.print(state, out));
        return ExitCodes.OK;
    }
}
