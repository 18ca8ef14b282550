package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import java.util.List;

/** {@code config.get}: the active configuration, every secret replaced by its source. */
public final class ConfigMethods {
    private final ControlPlane plane;

    public ConfigMethods(ControlPlane plane) {
        this.plane = requireNonNull(plane, "plane is null");
    }

    public List<ControlMethod> methods() {
        return List.of(ControlMethod.simple(
                Methods.CONFIG_GET,
                Scopes.READ,
                ParamSpec.none(),
                ControlMethod.NEVER,
                (params, caller) -> plane.config()));
    }
}
