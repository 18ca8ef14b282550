package dev.switchboard.cli.gateway;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The per-user service manager {@code gateway install} writes a definition for. */
enum ServiceManager {
    /** Linux: a systemd user unit. */
    SYSTEMD,
    /** macOS: a launchd LaunchAgent. */
    LAUNCHD;

    /** The manager of the OS named by {@code os.name}: launchd on macOS, systemd everywhere else. */
    static ServiceManager forOsName(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("mac") ? LAUNCHD : SYSTEMD;
    }

    /** The systemd unit name or the launchd label of the gateway of {@code profile}. */
    String serviceName(Optional<String> profile) {
        return switch (this) {
            case SYSTEMD -> (profile.isPresent() ? "switchboard-gateway-" + profile.get() : "switchboard-gateway")
                    + ".service";
            case LAUNCHD -> "dev.switchboard." + profile.orElse("gateway");
        };
    }

    /** The name of the definition file of the gateway of {@code profile}. */
    String fileName(Optional<String> profile) {
        return serviceName(profile) + (this == SYSTEMD ? "" : ".plist");
    }

    /** Where this manager looks for per-user definitions. */
    Path userDirectory(Path home) {
        return switch (this) {
            case SYSTEMD -> home.resolve(".config/systemd/user");
            case LAUNCHD -> home.resolve("Library/LaunchAgents");
        };
    }
}
