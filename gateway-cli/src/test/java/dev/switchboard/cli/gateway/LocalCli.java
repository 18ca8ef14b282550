package dev.switchboard.cli.gateway;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The CLI run in-process as the operator's second shell: same {@code HOME} (and whatever else of the
 * environment the test exports), the real clock (stop and status wait on it), captured output.
 */
record LocalCli(Path home, Map<String, String> exported) {
    record Run(int code, String out, String err) {}

    LocalCli(Path home) {
        this(home, Map.of());
    }

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> variables = new HashMap<>(exported);
        variables.put("HOME", home.toString());
        CliEnvironment env = new CliEnvironment(
                Map.copyOf(variables),
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC());
        int code = Main.run(env, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
