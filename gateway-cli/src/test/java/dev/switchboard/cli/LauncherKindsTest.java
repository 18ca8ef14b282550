package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JVM options {@code bin/switchboard} picks from a command's words: the repository's launcher
 * script, run in a copy of the repository's layout with a {@code java} that only records its
 * arguments (and no class-data sharing, so no training runs).
 */
class LauncherKindsTest {
    private static final String C1 = "-XX:TieredStopAtLevel=1";

    @TempDir
    Path root;

    private Path recorded;

    @BeforeEach
    void layout() throws Exception {
        Path launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/switchboard");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(launcher, root.resolve("bin/switchboard"));
        Files.createDirectories(root.resolve("gateway-cli/target"));
        Files.writeString(root.resolve("gateway-cli/target/switchboard.jar"), "not read by the recording java");
        recorded = root.resolve("java-args");
        Path java = root.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + recorded + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // the quick paths' plain command lines: interpreted
                "gateway status --json|-Xint",
                "health|-Xint",
                "health --json --state-dir /tmp/s|-Xint",
                "--profile work channels|-Xint",
                "channels list --json|-Xint",
                "status|-Xint",
                "channels status --json --dev|-Xint",
                "config validate|-Xint",
                "config validate /etc/switchboard.toml --dev|-Xint",
                // anything else short: C1
                "health --probe|" + C1,
                "health --url ws://127.0.0.1:1|" + C1,
                "channels status --probe|" + C1,
                "status --url ws://127.0.0.1:1|" + C1,
                "channels list --plugin-dir /opt/p|" + C1,
                "config validate a.toml b.toml|" + C1,
                "gateway status --deep|" + C1,
                "doctor|" + C1,
                "--help|" + C1,
                // the long-running ones: the JVM's own JIT and collector
                "gateway run|-Xshare:auto",
                "multi-channel-serve --channel-account telegram:a|-Xshare:auto",
            })
    void picksTheJvmOptionsByKindOfCommand(String line, String expected) throws Exception {
        List<String> args = run(line.split(" "));

        assertThat(args).contains(expected, "-Dswitchboard.bundled=true", "dev.switchboard.cli.Main");
        List<String> others = new ArrayList<>(List.of("-Xint", C1, "-XX:+UseSerialGC"));
        if (expected.equals("-Xshare:auto")) {
            assertThat(args).doesNotContainAnyElementsOf(others);
        } else {
            others.remove(expected);
            assertThat(args).contains("-XX:+UseSerialGC").doesNotContain(others.get(0));
        }
        assertThat(args.subList(args.indexOf("dev.switchboard.cli.Main") + 1, args.size()))
                .containsExactly(line.split(" "));
    }

    private List<String> run(String... command) throws Exception {
        List<String> argv =
                new ArrayList<>(List.of("bash", root.resolve("bin/switchboard").toString()));
        argv.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        builder.environment().put("SWITCHBOARD_CDS", "0");
        builder.environment().remove("SWITCHBOARD_JAVA_OPTS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return Files.readAllLines(recorded, StandardCharsets.UTF_8);
    }
}
