package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may read from and write to outside its arguments: the environment variables, the
 * home directory, the two output streams and the clock. Commands get it injected instead of
 * touching {@link System}, so tests run the whole CLI in-process with captured streams.
 *
 * @param env environment variables ({@code SWITCHBOARD_STATE_DIR}, {@code SWITCHBOARD_CONFIG_PATH}, ...)
 * @param home the user's home directory (default state dir is {@code ~/.switchboard})
 * @param out where results go (what {@code --json} prints)
 * @param err where errors, warnings and progress go
 * @param clock the wall clock (UTC: loading the time-zone rules costs start-up, and every time printed is an instant)
 */
public record CliEnvironment(Map<String, String> env, Path home, PrintStream out, PrintStream err, Clock clock) {
    public CliEnvironment {
        env = Map.copyOf(requireNonNull(env, "env is null"));
        requireNonNull(home, "home is null");
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(clock, "clock is null");
    }

    /** The real process environment. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), home(System.getenv()), System.out, System.err, Clock.systemUTC());
    }

    /** {@code $HOME} like every Unix CLI (the JVM's user.home ignores it), else user.home. */
    static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && home.startsWith("/") ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }

    /** An environment variable, if set and not blank. */
    public Optional<String> getenv(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
