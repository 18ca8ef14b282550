package dev.switchboard.core.owner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The service manager that started the gateway, as recorded in {@code owner.json}, so that {@code
 * gateway stop} and {@code restart} go through it instead of behind its back (a systemd unit with
 * {@code Restart=always} would otherwise start again what the operator stopped).
 *
 * @param manager systemd or launchd
 * @param name the systemd unit (e.g. {@code switchboard-gateway.service}) or the launchd label
 */
public record ServiceOwner(Manager manager, String name) {
    /**
     * Set by the definition {@code gateway install} writes ({@code Environment=} in the unit, {@code
     * EnvironmentVariables} in the plist) to the unit name or label.
     */
    public static final String SERVICE_ENV = "SWITCHBOARD_SERVICE";
    /** Set by systemd for every process it starts as part of a unit. */
    static final String SYSTEMD_ENV = "INVOCATION_ID";
    /** Set by launchd to the job's label. */
    static final String LAUNCHD_ENV = "XPC_SERVICE_NAME";

    public ServiceOwner {
        requireNonNull(manager, "manager is null");
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank");
        }
    }

    /** A per-user service manager. */
    public enum Manager {
        SYSTEMD,
        LAUNCHD;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The service manager that started a process with this environment, when that process was
     * started by a definition {@code gateway install} wrote: {@value #SERVICE_ENV} names it, and the
     * manager's own variable is there too ({@value #SYSTEMD_ENV} for systemd; {@value #LAUNCHD_ENV}
     * equal to the label for launchd). Both are required: a variable merely inherited from a parent
     * unit (a CI runner under systemd) must not make the gateway claim a unit it does not run in.
     */
    public static Optional<ServiceOwner> fromEnvironment(Map<String, String> environment) {
        String name = environment.get(SERVICE_ENV);
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        if (name.equals(environment.get(LAUNCHD_ENV))) {
            return Optional.of(new ServiceOwner(Manager.LAUNCHD, name));
        }
        String invocation = environment.get(SYSTEMD_ENV);
        if (invocation != null && !invocation.isBlank()) {
            return Optional.of(new ServiceOwner(Manager.SYSTEMD, name));
        }
        return Optional.empty();
    }

    /** {@code systemd (switchboard-gateway.service)}: how status names it. */
    @Override
    public String toString() {
        return manager.wireName() + " (" + name + ")";
    }
}
