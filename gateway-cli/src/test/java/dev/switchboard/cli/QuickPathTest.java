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
class QuickPathTest {
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
        assertThat(QuickPath.run(env(), args)).as("quick path taken").hasValue(ExitCodes.OK);
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
        assertThat(QuickPath.parse(line.split(" "))).as(line).isEmpty();
    }

    @Test
    void aStateDirThatCannotBeLocatedGoesTheFullWay() {
        assertThat(QuickPath.parse("--profile", "../x", "gateway", "status")).isPresent();
        assertThat(QuickPath.run(env(), "--profile", "../x", "gateway", "status"))
                .isEmpty();
    }

    /** Exit code, then everything printed, through the quick path (which must take it) as Main runs it. */
    private String quickRun(String... args) {
        assertThat(QuickPath.parse(args)).as("quick path taken").isPresent();
        int code = Main.run(env(), args);
        return code + "\n" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private String fullRun(String... args) {
        int code = RootCommandLine.create(env()).execute(args);
        return code + "\n" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void configValidatePrintsAndExitsAsTheFullCommandDoes() throws Exception {
        Path state = dir.resolve("validate-state");
        Files.createDirectories(state);
        Path good = Files.writeString(state.resolve("switchboard.toml"), "[gateway]\nport = 18999\n");
        Path bad = Files.writeString(
                dir.resolve("bad.toml"),
                "[gateway]\nprot = 3\nbind = \"lan\"\n[gateway.auth]\nmode = \"none\"\n[store]\nurl = \"jdbc:mysql://db/x\"\n");
        Path empty = dir.resolve("no-config-here");
        for (String[] args : new String[][] {
            {"--state-dir", state.toString(), "config", "validate"},
            {"config", "validate", good.toString()},
            {"config", "validate", bad.toString()},
            {"--config=" + bad, "config", "validate"},
            {"--state-dir", empty.toString(), "config", "validate"},
            {"config", "validate", dir.resolve("missing.toml").toString()},
        }) {
            assertThat(quickRun(args)).as(String.join(" ", args)).isEqualTo(fullRun(args));
        }
        assertThat(quickRun("config", "validate", good.toString())).startsWith("0\nok: " + good);
        assertThat(quickRun("config", "validate", bad.toString()))
                .startsWith("78\n")
                .contains("bad.toml:2: gateway.prot", "bad.toml:3: gateway.bind", "bad.toml:7: store.url");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "config validate --json",
                "config validate a b",
                "config validate --plugin-dir x",
                "config valid",
                "config",
                "--url ws://127.0.0.1:1 config validate",
                "config validate --help",
            })
    void leavesOtherConfigCommandLinesToPicocli(String line) {
        assertThat(QuickPath.parse(line.split(" "))).as(line).isEmpty();
    }

    @Test
    void channelsListsAsTheFullCommandDoes() throws Exception {
        Path state = dir.resolve("channels-state");
        Files.createDirectories(state);
        Path none = dir.resolve("channels-none");
        Files.writeString(
                state.resolve("switchboard.toml"),
                """
                [telegram]
                default_account = "ops"
                [telegram.accounts.ops]
                bot_token = { env = "TG_OPS" }
                allowed_chat_ids = [1]
                """);
        for (String[] args : new String[][] {
            {"--state-dir", state.toString(), "channels"},
            {"--state-dir", state.toString(), "channels", "--json"},
            {"--state-dir", state.toString(), "channels", "list", "--json"},
            {"--state-dir", state.toString(), "channels", "--json", "list"},
            {"--state-dir", none.toString(), "channels", "list"},
        }) {
            assertThat(quickRun(args)).as(String.join(" ", args)).isEqualTo(fullRun(args));
        }
        assertThat(quickRun("--state-dir", state.toString(), "channels"))
                .startsWith("0\n")
                .contains("ops");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "channels status",
                "channels list extra",
                "channels --json --json",
                "channels list --probe",
                "--json channels",
                "gateway --json status",
            })
    void leavesOtherChannelsCommandLinesToPicocli(String line) {
        assertThat(QuickPath.parse(line.split(" "))).as(line).isEmpty();
    }
}
