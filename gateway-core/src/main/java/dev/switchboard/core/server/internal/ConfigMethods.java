package dev.switchboard.core.server.internal;

import static dev.switchboard.core.server.internal.ParamSpec.required;
import static java.util.Objects.requireNonNull;

import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import java.util.List;

/**
 * {@code config.get} (the active configuration, every secret replaced by its source, with its hash),
 * {@code config.plan}, {@code config.apply} and {@code secrets.reload} (SPEC §5.3, §8). Planning and
 * applying read files and resolve secrets, so they run on a worker.
 */
public final class ConfigMethods {
    private static final ParamSpec RAW = ParamSpec.of(required("raw", ParamSpec.Type.TEXT));
    private static final ParamSpec APPLY =
            ParamSpec.of(required("raw", ParamSpec.Type.TEXT), required("baseHash", ParamSpec.Type.TEXT));

    private final ControlPlane plane;

    public ConfigMethods(ControlPlane plane) {
        this.plane = requireNonNull(plane, "plane is null");
    }

    public List<ControlMethod> methods() {
        return List.of(
                ControlMethod.simple(
                        Methods.CONFIG_GET,
                        Scopes.READ,
                        ParamSpec.none(),
                        ControlMethod.NEVER,
                        (params, caller) -> plane.config()),
                ControlMethod.simple(
                        Methods.CONFIG_PLAN, Scopes.READ, RAW, ControlMethod.ALWAYS, (params, caller) -> plane.reloads()
                                .plan(params.text("raw"))),
                ControlMethod.simple(
                        Methods.CONFIG_APPLY,
                        Scopes.ADMIN,
                        APPLY,
                        ControlMethod.ALWAYS,
                        (params, caller) -> plane.reloads().apply(params.text("raw"), params.text("baseHash"))),
                ControlMethod.simple(
                        Methods.SECRETS_RELOAD,
                        Scopes.ADMIN,
                        ParamSpec.none(),
                        ControlMethod.ALWAYS,
                        (params, caller) -> plane.reloads().reloadSecrets()));
    }
}
