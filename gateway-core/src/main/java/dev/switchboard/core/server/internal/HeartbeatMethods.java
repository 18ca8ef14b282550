package dev.switchboard.core.server.internal;

import static dev.switchboard.core.server.internal.ParamSpec.optional;
import static dev.switchboard.core.server.internal.ParamSpec.required;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.heartbeat.internal.Heartbeats;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.protocol.WakeAnswer;
import java.util.List;
import java.util.Optional;

/** {@code last-heartbeat}, {@code set-heartbeats} and {@code wake}: the agent heartbeats' controls. */
public final class HeartbeatMethods {
    /** {@code wake}'s params; {@code POST /hooks/wake} takes the same body. */
    public static final ParamSpec WAKE_PARAMS = ParamSpec.of(
            required("text", ParamSpec.Type.TEXT),
            optional("mode", ParamSpec.Type.oneOf(WakeAnswer.NOW, WakeAnswer.NEXT_HEARTBEAT)));

    private static final ParamSpec SET_PARAMS = ParamSpec.of(required("enabled", ParamSpec.Type.FLAG));

    private final ControlPlane plane;

    public HeartbeatMethods(ControlPlane plane) {
        this.plane = requireNonNull(plane, "plane is null");
    }

    public List<ControlMethod> methods() {
        return List.of(
                ControlMethod.simple(
                        Methods.LAST_HEARTBEAT,
                        Scopes.READ,
                        ParamSpec.none(),
                        ControlMethod.ALWAYS,
                        (params, caller) -> Payloads.toJson(heartbeats().last())),
                ControlMethod.simple(
                        Methods.SET_HEARTBEATS,
                        Scopes.WRITE,
                        SET_PARAMS,
                        ControlMethod.ALWAYS,
                        (params, caller) -> setHeartbeats(params.flag("enabled"))),
                ControlMethod.simple(
                        Methods.WAKE,
                        Scopes.WRITE,
                        WAKE_PARAMS,
                        ControlMethod.ALWAYS,
                        (params, caller) -> wake(params)));
    }

    private JsonNode setHeartbeats(boolean enabled) {
        Heartbeats heartbeats = heartbeats();
        if (enabled) {
            requireTarget(heartbeats, "set-heartbeats {enabled: true}");
        }
        return Payloads.toJson(heartbeats.setEnabled(enabled));
    }

    private JsonNode wake(Params params) {
        Heartbeats heartbeats = heartbeats();
        String text = params.text("text");
        String mode = params.optionalText("mode").orElse(WakeAnswer.NOW);
        if (mode.equals(WakeAnswer.NEXT_HEARTBEAT)) {
            heartbeats.queueWake(text);
            return Payloads.toJson(new WakeAnswer(mode, Optional.empty()));
        }
        requireTarget(heartbeats, "wake {mode: \"now\"}");
        return Payloads.toJson(new WakeAnswer(mode, Optional.of(heartbeats.wakeNow(text))));
    }

    private static void requireTarget(Heartbeats heartbeats, String what) {
        if (!heartbeats.hasTarget()) {
            throw ProtocolException.invalid(what + " needs a delivery target (expected:"
                    + " agent.heartbeat.target.channel and .to in the config)");
        }
    }

    private Heartbeats heartbeats() {
        return plane.heartbeats()
                .orElseThrow(() -> new ProtocolException(
                        ErrorCodes.UNAVAILABLE, "this gateway runs no reply loop, so it runs no agent heartbeats"));
    }
}
