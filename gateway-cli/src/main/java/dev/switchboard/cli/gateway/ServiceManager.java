package dev.switchboard.cli.gateway;

import java.nio.file.Path;
import java.util.Locale;

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

    /** Where this manager looks for per-user definitions. */
    Path userDirectory(Path home) {
        return switch (this) {
            case SYSTEMD -> home.resolve(".config/systemd/user");
            case LAUNCHD -> home.resolve("Library/LaunchAgents");
        };
    }
}
