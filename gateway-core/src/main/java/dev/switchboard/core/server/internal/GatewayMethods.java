package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import java.util.List;

/**
 * {@code gateway.stop} and {@code gateway.restart}. The stop starts once the response is queued,
 * so the response is written before the socket closes.
 */
public final class GatewayMethods {
    private final ControlPlane plane;

    public GatewayMethods(ControlPlane plane) {
        this.plane = requireNonNull(plane, "plane is null");
    }

    public List<ControlMethod> methods() {
        return List.of(
                new ControlMethod(
                        Methods.GATEWAY_STOP,
                        Scopes.ADMIN,
                        ParamSpec.none(),
                        ControlMethod.NEVER,
                        (params, caller) -> Answer.of(
                                FrameCodec.json().createObjectNode().put("stopping", true),
                                () -> plane.requestStop("gateway.stop from " + caller.describe()))),
                new ControlMethod(
                        Methods.GATEWAY_RESTART,
                        Scopes.ADMIN,
                        ParamSpec.none(),
                        ControlMethod.NEVER,
                        (params, caller) -> Answer.of(
                                FrameCodec.json().createObjectNode().put("restarting", true),
                                () -> plane.requestRestart("gateway.restart from " + caller.describe()))));
    }
}
