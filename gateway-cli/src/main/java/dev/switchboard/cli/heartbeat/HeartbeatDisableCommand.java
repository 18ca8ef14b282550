package dev.switchboard.cli.heartbeat;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchboard heartbeat disable}: RPC {@code set-heartbeats {enabled: false}}. */
@Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        description =
                "Turn scheduled heartbeats off (persisted: it outlasts a restart until agent.heartbeat.enabled changes).")
public final class HeartbeatDisableCommand implements Callable<Integer> {
    @Mixin
    private JsonOption json;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    HeartbeatDisableCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        return HeartbeatSwitch.turn(false, targets, env, json);
    }
}
