package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.ConfigLocator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where this invocation looks for channel plugins: {@code --plugin-dir} (repeatable) >
 * {@code SWITCHBOARD_PLUGIN_PATH} (a list of directories and jars, separated like {@code PATH}) >
 * {@code <state>/plugins}. The first source that is given is the only one used, as with the config
 * file. The default directory is optional; a location named explicitly must exist.
 *
 * @param paths the plugin directories and jars, in order; empty when the default directory is absent
 * @param source where they came from: {@code --plugin-dir}, {@code SWITCHBOARD_PLUGIN_PATH} or
 *     {@code default}
 * @param defaultDir {@code <state>/plugins}, whether used or not
 */
public record PluginLocations(List<Path> paths, String source, Path defaultDir) {
    public static final String PLUGIN_PATH_ENV = "SWITCHBOARD_PLUGIN_PATH";
    public static final String FLAG = "--plugin-dir";
    public static final String DEFAULT = "default";

    public PluginLocations {
        // absolute: logs and listings name them, and a service's working directory is anyone's guess
        paths = paths.stream().map(path -> path.toAbsolutePath().normalize()).toList();
        requireNonNull(source, "source is null");
        requireNonNull(defaultDir, "defaultDir is null");
    }

    public static PluginLocations resolve(GlobalOptions globals, CliEnvironment env) {
        Path stateDir =
                new ConfigLocator(env.env(), env.home()).stateDir(globals.stateDir(), globals.profile(), globals.dev());
        Path defaultDir = stateDir.resolve("plugins").toAbsolutePath().normalize();
        if (!globals.pluginDirs().isEmpty()) {
            return new PluginLocations(globals.pluginDirs(), FLAG, defaultDir);
        }
        if (env.getenv(PLUGIN_PATH_ENV).isPresent()) {
            List<Path> paths = Arrays.stream(
                            env.getenv(PLUGIN_PATH_ENV).get().split(Pattern.quote(File.pathSeparator), -1))
                    .filter(entry -> !entry.isBlank())
                    .map(Path::of)
                    .toList();
            return new PluginLocations(paths, PLUGIN_PATH_ENV, defaultDir);
        }
        return new PluginLocations(
                Files.isDirectory(defaultDir) ? List.of(defaultDir) : List.of(), DEFAULT, defaultDir);
    }

    /** {@code /a, /b (--plugin-dir)}, {@code /x/plugins}: for messages. */
    public String describe() {
        if (source.equals(DEFAULT)) {
            return defaultDir.toString();
        }
        return String.join(", ", paths.stream().map(Path::toString).toList()) + " (" + source + ")";
    }
}
