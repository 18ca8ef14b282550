package dev.switchboard.core.channel.plugins;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Why a plugin (or a place plugins were looked for) could not be loaded.
 *
 * @param path the jar, plugin directory or location the problem is about
 * @param reason what was wrong and what was expected, one line
 */
public record PluginProblem(Path path, String reason) {
    public PluginProblem {
        requireNonNull(path, "path is null");
        requireNonNull(reason, "reason is null");
    }

    /** {@code plugin /opt/plugins/echo.jar: not a readable jar (zip END header not found)}. */
    @Override
    public String toString() {
        return "plugin " + path + ": " + reason;
    }
}
