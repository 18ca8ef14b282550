package dev.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** One in-process run of the CLI with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliEnvironment environment(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return environment(out, err, Path.of("/nonexistent-home"));
    }

    /** An empty environment with {@code home} as the home directory and a fixed clock. */
    static CliEnvironment environment(ByteArrayOutputStream out, ByteArrayOutputStream err, Path home) {
        return new CliEnvironment(
                Map.of(),
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(environment(out, err), args);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
