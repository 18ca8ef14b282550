package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.internal.FileModes;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.config.ConfigLocator;
import dev.switchboard.core.config.StateDirectories;
import dev.switchboard.spi.ChannelProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the starter config goes and how it is written: what {@code config init} and {@code doctor
 * --fix} share, so both write the same file at the same path.
 */
public final class StarterFile {
    private StarterFile() {}

    /** {@code --config} > {@code SWITCHBOARD_CONFIG_PATH} > {@code <state>/switchboard.conf}; need not exist. */
    public static Path target(GlobalOptions globals, CliEnvironment env) {
        requireNonNull(globals, "globals is null");
        requireNonNull(env, "env is null");
        Optional<String> given = globals.config().map(Path::toString).or(() -> env.getenv(ConfigLocator.CONFIG_PATH_ENV)
                .map(String::trim));
        if (given.isEmpty()) {
            ConfigLocator locator = new ConfigLocator(env.env(), env.home());
            Path stateDir = locator.stateDir(globals.stateDir(), globals.profile(), globals.dev());
            return stateDir.resolve(ConfigLocator.FILE_NAMES.get(0))
                    .toAbsolutePath()
                    .normalize();
        }
        String text = given.get();
        try {
            Path path = text.equals("~") || text.startsWith("~/")
                    ? env.home().resolve(text.substring(Math.min(2, text.length())))
                    : Path.of(text);
            return path.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw SwitchboardException.usage("config path '" + text + "' is not a valid path");
        }
    }

    /**
     * Writes the starter config to {@code target} ({@code 0600}), creating {@code stateDir} ({@code
     * 0700}) first.
     *
     * @param set keys to write uncommented, value literals by key path (see {@link StarterConfig#render})
     * @throws SwitchboardException (usage) for an extension other than {@code .conf} or {@code .toml};
     *     (runtime) when the file cannot be written
     */
    public static void write(Path target, Path stateDir, List<ChannelProvider> channels, Map<String, String> set) {
        StarterConfig.Format format = format(target);
        StateDirectories.ensure(stateDir);
        String content = StarterConfig.render(format, channels, set);
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            FileModes.writePrivate(target, content);
        } catch (IOException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "cannot write " + target + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"),
                    e);
        }
    }

    /** A value literal in the starter's syntax (HOCON and TOML agree on it): {@code { file = "/abs" }}. */
    public static String fileSecret(Path file) {
        return "{ file = " + StarterConfig.quote(file.toString()) + " }";
    }

    static StarterConfig.Format format(Path target) {
        String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".conf")) {
            return StarterConfig.Format.HOCON;
        }
        if (name.endsWith(".toml")) {
            return StarterConfig.Format.TOML;
        }
        throw SwitchboardException.usage(
                "config init writes .conf or .toml (HOCON or TOML), not " + target.getFileName());
    }
}
