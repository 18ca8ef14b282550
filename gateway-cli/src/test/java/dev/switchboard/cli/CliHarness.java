package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the CLI in-process against one state directory with a given environment, capturing stdout
 * and stderr. Every run passes {@code --state-dir}, so nothing outside the temp dir is touched.
 */
public final class CliHarness {
    private final Path stateDir;
    private final Path home;
    private final boolean passStateDir;
    private final Map<String, String> env = new HashMap<>();

    public CliHarness(Path stateDir) {
        this(stateDir, stateDir.resolveSibling("home"), true);
    }

    private CliHarness(Path stateDir, Path home, boolean passStateDir) {
        this.stateDir = stateDir;
        this.home = home;
        this.passStateDir = passStateDir;
    }

    /**
     * Runs without {@code --state-dir}: the state dir follows the profile rules ({@code --profile},
     * {@code --dev}) under {@code home}, as on a host with several gateways.
     */
    public static CliHarness inHome(Path home) {
        return new CliHarness(home.resolve(".switchboard"), home, false);
    }

    public CliHarness env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** One finished run. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (passStateDir) {
            all.add("--state-dir");
            all.add(stateDir.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment environment = new CliEnvironment(
                env,
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
        int code = Main.run(environment, all.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
