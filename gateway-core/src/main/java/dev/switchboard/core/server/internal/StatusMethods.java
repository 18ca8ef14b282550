package dev.switchboard.core.server.internal;

import static dev.switchboard.core.server.internal.ParamSpec.optional;
import static java.util.Objects.requireNonNull;

import dev.switchboard.core.cluster.internal.OwnerForwarding;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.Scopes;
import java.util.List;

/** {@code health}, {@code status}, {@code system-presence} and {@code channels.status}. */
public final class StatusMethods {
    private static final String PROBE = "probe";
    private static final ParamSpec PROBE_PARAMS = ParamSpec.of(optional(PROBE, ParamSpec.Type.FLAG));
    private static final ParamSpec CHANNELS_PARAMS = ParamSpec.of(
            optional(PROBE, ParamSpec.Type.FLAG), optional(OwnerForwarding.LOCAL_ONLY, ParamSpec.Type.FLAG));

    private final ControlPlane plane;
    private final HealthReport health;
    private final ConnectedClients clients;

    public StatusMethods(ControlPlane plane, HealthReport health, ConnectedClients clients) {
        this.plane = requireNonNull(plane, "plane is null");
        this.health = requireNonNull(health, "health is null");
        this.clients = requireNonNull(clients, "clients is null");
    }

    public List<ControlMethod> methods() {
        return List.of(
                // without probe: from memory on the I/O thread (the store is checked every second in the background)
                ControlMethod.simple(
                        Methods.HEALTH,
                        Scopes.READ,
                        PROBE_PARAMS,
                        StatusMethods::whenProbing,
                        (params, caller) -> Payloads.toJson(health.health(params.flag(PROBE), params.flag(PROBE)))),
                ControlMethod.simple(
                        Methods.STATUS,
                        Scopes.READ,
                        ParamSpec.none(),
                        ControlMethod.NEVER,
                        (params, caller) -> Payloads.toJson(plane.status(clients.count()))),
                ControlMethod.simple(
                        Methods.SYSTEM_PRESENCE,
                        Scopes.READ,
                        ParamSpec.none(),
                        ControlMethod.NEVER,
                        (params, caller) -> clients.presencePayload()),
                ControlMethod.simple(
                        Methods.CHANNELS_STATUS,
                        Scopes.READ,
                        CHANNELS_PARAMS,
                        StatusMethods::whenProbing,
                        (params, caller) -> Payloads.toJson(
                                health.channelsStatus(params.flag(PROBE), params.flag(OwnerForwarding.LOCAL_ONLY)))));
    }

    /** A probe calls every platform and the agent: on a worker. Without one, memory answers. */
    private static boolean whenProbing(Params params) {
        return params.flag(PROBE);
    }
}
