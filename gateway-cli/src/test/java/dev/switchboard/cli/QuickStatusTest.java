package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.internal.OwnerFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The quick {@code gateway status} path answers exactly as the full command does, and only for plain command lines. */
class QuickStatusTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CliEnvironment env() {
        out.reset();
        err.reset();
        return new CliEnvironment(
                Map.of(),
                dir.resolve("home"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    private String quick(String... args) {
        assertThat(QuickStatus.run(env(), args)).as("quick path taken").hasValue(ExitCodes.OK);
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private String full(String... args) {
        assertThat(RootCommandLine.create(env()).execute(args)).isEqualTo(ExitCodes.OK);
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsWhatTheFullCommandPrintsForAStoppedAndAStaleGateway() throws Exception {
        Path state = dir.resolve("state");
        for (String[] args : new String[][] {
            {"gateway", "status", "--json", "--state-dir", state.toString()},
            {"--state-dir=" + state, "gateway", "status"},
        }) {
            assertThat(quick(args)).isEqualTo(full(args)).contains("stopped");
        }

        OwnerPaths paths = new OwnerPaths(state);
        Files.createDirectories(paths.gatewayDir());
        OwnerRecord running = OwnerRecord.forStart(paths, OwnerRecord.Mode.GATEWAY, "0.1.0", Clock.systemUTC())
                .port(18789)
                .phase(OwnerRecord.Phase.RUNNING)
                .session("main")
                .build();
        Files.write(paths.ownerFile(), OwnerFiles.toJson(running));
        for (String[] args : new String[][] {
            {"gateway", "--state-dir", state.toString(), "status", "--json"},
            {"gateway", "status", "--state-dir", state.toString()},
        }) {
            assertThat(quick(args)).isEqualTo(full(args)).contains("stale").contains("main");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gateway status --deep",
                "gateway status --url ws://127.0.0.1:1",
                "gateway status --help",
                "--json gateway status",
                "gateway status --json --json",
                "gateway status --profile a --profile b",
                "gateway status --config",
                "gateway stats",
                "gateway status extra",
                "status",
                "gateway status --token secret",
            })
    void leavesEveryOtherCommandLineToPicocli(String line) {
        assertThat(QuickStatus.parse(line.split(" "))).as(line).isEmpty();
    }

    @Test
    void aStateDirThatCannotBeLocatedGoesTheFullWay() {
        assertThat(QuickStatus.parse("--profile", "../x", "gateway", "status")).isPresent();
        assertThat(QuickStatus.run(env(), "--profile", "../x", "gateway", "status"))
                .isEmpty();
    }
}
