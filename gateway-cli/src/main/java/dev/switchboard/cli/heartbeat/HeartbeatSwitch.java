package dev.switchboard.cli.heartbeat;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.LastHeartbeat;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import java.util.List;

/** {@code heartbeat enable} and {@code disable}: RPC {@code set-heartbeats}, then the state it left. */
final class HeartbeatSwitch {
    private HeartbeatSwitch() {}

    static int turn(boolean enabled, GatewayTargets targets, CliEnvironment env, JsonOption json) {
        LastHeartbeat state = targets.resolve()
                .ask(
                        List.of(Scopes.WRITE),
                        HeartbeatLastCommand.CALL_TIMEOUT,
                        session -> session.call(
                                Methods.SET_HEARTBEATS,
                                GatewaySession.params().put("enabled", enabled),
                                LastHeartbeat.class));
        json.print(env.out(), state, out -> HeartbeatText.print(state, out));
        return ExitCodes.OK;
    }
}
