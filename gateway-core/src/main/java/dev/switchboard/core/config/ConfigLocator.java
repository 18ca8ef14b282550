package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the state directory and the config file (SPEC §2.1). Reads nothing but the environment map
 * it is given and the existence of files; creates nothing (see {@link StateDirectories#ensure(Path)}).
 */
public final class ConfigLocator {
    public static final String STATE_DIR_ENV = "SWITCHBOARD_STATE_DIR";
    public static final String CONFIG_PATH_ENV = "SWITCHBOARD_CONFIG_PATH";

    /** The file names looked for in the state directory, in order. */
    public static final List<String> FILE_NAMES = List.of("switchboard.conf", "switchboard.toml", "switchboard.json");

    private final Map<String, String> env;
    private final Path home;

    /**
     * @param env the process environment ({@code System.getenv()}); injected so tests need no real one
     * @param home the user's home directory
     */
    public ConfigLocator(Map<String, String> env, Path home) {
        this.env = Map.copyOf(requireNonNull(env, "env is null"));
        this.home = requireNonNull(home, "home is null").toAbsolutePath();
    }

    /** A locator on the real environment and {@code user.home}. */
    public static ConfigLocator system() {
        return new ConfigLocator(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Where the config was found.
     *
     * @param stateDir the state directory (not necessarily existing yet)
     * @param configFile the config file, if one was given or found
     * @param searched every path looked at, in order, for a "no config found" message
     */
    public record ConfigLocations(Path stateDir, Optional<Path> configFile, List<Path> searched) {
        public ConfigLocations {
            requireNonNull(stateDir, "stateDir is null");
            requireNonNull(configFile, "configFile is null");
            searched = List.copyOf(requireNonNull(searched, "searched is null"));
        }
    }

    /**
     * {@code --state-dir} > {@code SWITCHBOARD_STATE_DIR} > {@code ~/.switchboard} ({@code
     * ~/.switchboard-<profile>} with {@code --profile}, {@code ~/.switchboard-dev} with {@code
     * --dev}). A leading {@code ~/} is expanded to the home directory.
     *
     * @throws SwitchboardException (usage) for a bad profile name or {@code --dev} with {@code --profile}
     */
    public Path stateDir(Optional<Path> stateDirFlag, Optional<String> profile, boolean dev) {
        requireNonNull(stateDirFlag, "stateDirFlag is null");
        requireNonNull(profile, "profile is null");
        if (profile.isPresent()) {
            if (dev) {
                throw SwitchboardException.usage("--dev and --profile cannot be used together");
            }
            if (!isProfileName(profile.get())) {
                throw SwitchboardException.usage("--profile '" + profile.get()
                        + "' (expected: letters, digits, '_' and '-', starting with a letter or digit)");
            }
        }
        if (stateDirFlag.isPresent()) {
            return absolute(expand(stateDirFlag.get().toString(), "--state-dir"));
        }
        Optional<String> fromEnv = nonBlank(env.get(STATE_DIR_ENV));
        if (fromEnv.isPresent()) {
            return absolute(expand(fromEnv.get(), STATE_DIR_ENV));
        }
        // no lambda: its first link costs `gateway status` a method-handle spin (SPEC §12 start-up)
        String name = dev ? ".switchboard-dev" : profile.isPresent() ? ".switchboard-" + profile.get() : ".switchboard";
        return home.resolve(name);
    }

    /**
     * {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}, checked without a regex: compiling one costs {@code gateway
     * status} a share of its start-up budget (SPEC §12).
     */
    static boolean isProfileName(String name) {
        if (name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The state directory and the config file: {@code --config} > {@code SWITCHBOARD_CONFIG_PATH} >
     * the first that exists of {@code <state>/switchboard.conf}, {@code .toml}, {@code .json}.
     *
     * @throws ConfigException when {@code --config} or {@code SWITCHBOARD_CONFIG_PATH} names a file
     *     that does not exist: an explicit path never falls back silently
     */
    public ConfigLocations locate(
            Optional<Path> configFlag, Optional<Path> stateDirFlag, Optional<String> profile, boolean dev) {
        requireNonNull(configFlag, "configFlag is null");
        Path stateDir = stateDir(stateDirFlag, profile, dev);
        if (configFlag.isPresent()) {
            Path file = absolute(expand(configFlag.get().toString(), "--config"));
            return explicit(stateDir, file, "--config");
        }
        Optional<String> fromEnv = nonBlank(env.get(CONFIG_PATH_ENV));
        if (fromEnv.isPresent()) {
            Path file = absolute(expand(fromEnv.get(), CONFIG_PATH_ENV));
            return explicit(stateDir, file, CONFIG_PATH_ENV);
        }
        List<Path> searched = new ArrayList<>();
        for (String name : FILE_NAMES) {
            Path candidate = stateDir.resolve(name);
            searched.add(candidate);
            if (Files.isRegularFile(candidate)) {
                return new ConfigLocations(stateDir, Optional.of(candidate), searched);
            }
        }
        return new ConfigLocations(stateDir, Optional.empty(), searched);
    }

    private static ConfigLocations explicit(Path stateDir, Path file, String source) {
        if (!Files.exists(file)) {
            throw new ConfigException("config file " + file + " (from " + source + ") does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " (from " + source + ") is not a regular file");
        }
        return new ConfigLocations(stateDir, Optional.of(file), List.of(file));
    }

    private Path expand(String text, String source) {
        try {
            if (text.equals("~")) {
                return home;
            }
            if (text.startsWith("~/")) {
                return home.resolve(text.substring(2));
            }
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw SwitchboardException.usage(source + " '" + text + "' is not a valid path");
        }
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static Optional<String> nonBlank(@Nullable String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
