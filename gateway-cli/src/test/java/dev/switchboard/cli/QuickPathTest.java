package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayTuning;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.owner.internal.OwnerFiles;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.spi.Backoff;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.CRC32;
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
        return CliRun.environment(out, err, dir.resolve("home"));
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
                "stat",
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
                "channels statuses",
                "channels list extra",
                "channels --json --json",
                "channels list --probe",
                "--json channels",
                "gateway --json status",
            })
    void leavesOtherChannelsCommandLinesToPicocli(String line) {
        assertThat(QuickPath.parse(line.split(" "))).as(line).isEmpty();
    }

    /** A gateway in this JVM on port 0 owning {@code state}, running the testchat account of {@code botToken}. */
    private static Gateway gateway(Path state, String botToken) throws Exception {
        Files.createDirectories(state);
        Path config = Files.writeString(
                state.resolve("switchboard.conf"),
                "testchat { default_account = work, accounts { work { bot_token = \"" + botToken
                        + "\", allowed_chat_ids = [1] } } }\n");
        ChannelRegistry registry = ChannelRegistry.discover();
        Gateway gateway = Gateway.builder()
                .config(new ConfigLoader(registry).load(config))
                .stateDir(state)
                .registry(registry)
                .environment(Map.of())
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                .tuning(GatewayTuning.DEFAULTS
                        .withHeartbeat(Duration.ofHours(1))
                        // a refused account waits (reconnecting) for an hour: the same state for both paths
                        .withChannelRestart(new Backoff(Duration.ofHours(1), Duration.ofHours(1))))
                .build()
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean refused = botToken.equals("reject-me");
        AccountState settled = refused ? AccountState.RECONNECTING : AccountState.CONNECTED;
        while (gateway.channels().stream()
                        .anyMatch(account -> account.state() != settled
                                || account.lastError().isPresent() != refused)
                || !Files.readString(state.resolve("gateway/owner.json"), StandardCharsets.UTF_8)
                        .contains(settled.wireName())) {
            assertThat(System.nanoTime()).as("testchat.work " + settled).isLessThan(deadline);
            Thread.sleep(20);
        }
        return gateway;
    }

    /** Exit code and everything printed through the quick path, which must answer. */
    private String quickHealth(String... args) {
        OptionalInt code = QuickPath.run(env(), args);
        assertThat(code)
                .as("quick path taken: " + String.join(" ", args) + "\n" + err)
                .isPresent();
        return code.getAsInt() + "\n" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    /**
     * What changes from one call to the next: the clock (uptimes, how long ago), the store's latency,
     * the open connections (the previous call's may not have been closed on the gateway's side yet).
     */
    private static String steady(String output) {
        return output.replaceAll("\"(ts|uptimeMs|latencyMs|connections)\" : \\d+", "\"$1\" : N")
                .replaceAll("(?m)^uptime +\\S+$", "uptime    N")
                .replaceAll("(?m)^store     ok \\(\\d+ ms\\)$", "store     ok (N ms)")
                .replaceAll("(?m)^gateway +running \\(up [^)]*\\)$", "gateway running (up N)")
                .replaceAll("(?m)^connections +\\d+$", "connections N")
                .replaceAll("(?m)^(testchat +work +\\S+ +)\\S+", "$1N"); // the SINCE column
    }

    @Test
    void healthPrintsAndExitsAsTheFullCommandAgainstARunningGateway() throws Exception {
        Path state = dir.resolve("health-state");
        try (Gateway gateway = gateway(state, "t-work")) {
            for (String[] args : new String[][] {
                {"--state-dir", state.toString(), "health"},
                {"health", "--json", "--state-dir=" + state},
            }) {
                String quick = quickHealth(args);
                assertThat(steady(quick)).as(String.join(" ", args)).isEqualTo(steady(fullRun(args)));
                assertThat(quick)
                        .startsWith("0\n")
                        .contains(gateway.instanceId())
                        .contains("testchat");
            }
            assertThat(quickHealth("health", "--state-dir", state.toString()))
                    .contains("health    ok\n")
                    .contains("url       ws://127.0.0.1:" + gateway.port() + " (local)\n")
                    .contains("channel   testchat.work  connected\n");
            assertThat(quickHealth("health", "--json", "--state-dir", state.toString()))
                    .contains("\"state\" : \"connected\"")
                    .contains("\"channel\" : \"testchat\"");
        }
    }

    @Test
    void anAccountThatIsNotConnectedFailsHealthOnBothPathsAlike() throws Exception {
        Path state = dir.resolve("health-refused");
        try (Gateway gateway = gateway(state, "reject-me")) {
            for (String[] args : new String[][] {
                {"--state-dir", state.toString(), "health"},
                {"--state-dir", state.toString(), "health", "--json"},
            }) {
                String quick = quickHealth(args);
                assertThat(steady(quick)).as(String.join(" ", args)).isEqualTo(steady(fullRun(args)));
                assertThat(quick).startsWith("1\n");
            }
            assertThat(quickHealth("--state-dir", state.toString(), "health"))
                    .contains("health    not ok: testchat.work reconnecting\n")
                    .contains("instance  " + gateway.instanceId() + "\n")
                    .contains("last error: ");
        }
    }

    @Test
    void healthLoadsNoConfigWhenTheOwnerRunsTheFileUnchanged() throws Exception {
        Path state = dir.resolve("health-config");
        try (Gateway gateway = gateway(state, "t-work")) {
            Path config = state.resolve("switchboard.conf");
            assertThat(Files.readString(state.resolve("gateway/owner.json"), StandardCharsets.UTF_8))
                    .contains("\"instanceId\" : \"" + gateway.instanceId() + "\"")
                    .contains("\"configPath\" : \"" + config + "\"")
                    .contains("\"configChecksum\" : \"" + crc32(config) + "\"");
            GlobalOptions globals = GlobalOptions.of(null, state, null, false);
            CliEnvironment env = env();
            Workspace workspace = Workspace.locate(globals, env);
            int[] loads = {0};
            Supplier<ChannelRegistry> registry = () -> {
                loads[0]++;
                return ChannelRegistry.discover();
            };

            // the file the owner loaded, as it loaded it: known to load, in local mode
            assertThat(GatewayTarget.plainLocal(globals, env, workspace, registry))
                    .isPresent();
            assertThat(loads[0]).as("config loads").isZero();

            // changed since (a comment is a change too): loaded again to know
            Files.writeString(config, "# edited\n" + Files.readString(config, StandardCharsets.UTF_8));
            assertThat(GatewayTarget.plainLocal(globals, env, workspace, registry))
                    .isPresent();
            assertThat(loads[0]).as("config loads").isOne();

            // another file than the owner's: loaded too
            Path other = Files.copy(config, dir.resolve("other.conf"));
            GlobalOptions otherFile = GlobalOptions.of(other, state, null, false);
            assertThat(GatewayTarget.plainLocal(otherFile, env, Workspace.locate(otherFile, env), registry))
                    .isPresent();
            assertThat(loads[0]).as("config loads").isEqualTo(2);
        }
    }

    private static String crc32(Path file) throws Exception {
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(file));
        return String.format("%08x", crc.getValue());
    }

    @Test
    void statusAndChannelsStatusPrintAndExitAsTheFullCommandsAgainstARunningGateway() throws Exception {
        Path state = dir.resolve("status-state");
        try (Gateway gateway = gateway(state, "t-work")) {
            for (String[] args : new String[][] {
                {"--state-dir", state.toString(), "status"},
                {"status", "--json", "--state-dir=" + state},
                {"--state-dir", state.toString(), "channels", "status"},
                {"channels", "status", "--json", "--state-dir", state.toString()},
            }) {
                String quick = quickHealth(args);
                assertThat(steady(quick)).as(String.join(" ", args)).isEqualTo(steady(fullRun(args)));
                assertThat(quick).startsWith("0\n").contains("testchat");
            }
            assertThat(quickHealth("status", "--state-dir", state.toString()))
                    .contains("gateway      running (up ")
                    .contains("instance     " + gateway.instanceId() + ", version ")
                    .contains("url          ws://127.0.0.1:" + gateway.port() + " (local, from owner.json of ");
            assertThat(quickHealth("status", "--json", "--state-dir", state.toString()))
                    .contains("\"target\" : \"local\"")
                    .contains("\"instanceId\" : \"" + gateway.instanceId() + "\"")
                    .contains("\"inbound\" : 0");
            assertThat(quickHealth("channels", "status", "--state-dir", state.toString()))
                    .contains("testchat  work     connected");
        }
        // no owner: the full commands say so
        assertThat(QuickPath.run(env(), "status", "--state-dir", state.toString()))
                .isEmpty();
        assertThat(QuickPath.run(env(), "channels", "status", "--state-dir", state.toString()))
                .isEmpty();
        assertThat(out.size() + err.size()).as("the quick path printed nothing").isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "status --url ws://127.0.0.1:1",
                "status --verbose",
                "status extra",
                "channels status --probe",
                "channels status --json --json",
                "channels status extra",
            })
    void leavesOtherStatusCommandLinesToPicocli(String line) {
        assertThat(QuickPath.parse(line.split(" "))).as(line).isEmpty();
    }

    @Test
    void healthLeavesToTheFullCommandWhatIsNotAPlainAnswerFromTheLocalOwner() throws Exception {
        Path state = dir.resolve("health-declined");
        // no owner: the full command says how to start one
        Files.createDirectories(state);
        assertThat(QuickPath.run(env(), "health", "--state-dir", state.toString()))
                .isEmpty();
        assertThat(out.size() + err.size()).as("the quick path printed nothing").isZero();
        assertThat(fullRun("health", "--state-dir", state.toString())).contains("gateway not running");

        try (Gateway gateway = gateway(state, "t-work")) {
            Path tokenFile = state.resolve("gateway/control.token");
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8);

            // a token the gateway refuses: its answer and the credential sent, from the full command
            Files.writeString(tokenFile, "wrong-token-77");
            assertThat(QuickPath.run(env(), "health", "--state-dir", state.toString()))
                    .isEmpty();
            assertThat(out.size() + err.size()).isZero();
            assertThat(fullRun("health", "--state-dir", state.toString()))
                    .startsWith("1\n")
                    .contains("the CLI sent the control token from " + tokenFile)
                    .doesNotContain("wrong-token-77");
            Files.writeString(tokenFile, token);

            // another instance than owner.json names
            Path ownerFile = state.resolve("gateway/owner.json");
            String owner = Files.readString(ownerFile, StandardCharsets.UTF_8);
            Files.writeString(
                    ownerFile,
                    owner.replace(gateway.instanceId(), UUID.randomUUID().toString()));
            assertThat(QuickPath.run(env(), "health", "--state-dir", state.toString()))
                    .isEmpty();
            assertThat(out.size() + err.size()).isZero();
            Files.writeString(ownerFile, owner);

            // a config that does not load: the full command warns, then asks the running gateway
            Path config = state.resolve("switchboard.conf");
            String good = Files.readString(config, StandardCharsets.UTF_8);
            Files.writeString(config, "gateway { prot = 1 }\n");
            assertThat(QuickPath.run(env(), "health", "--state-dir", state.toString()))
                    .isEmpty();
            assertThat(fullRun("health", "--state-dir", state.toString()))
                    .startsWith("0\n")
                    .contains("does not load");

            // remote mode: the config's remote gateway with the remote credential order (no control
            // token), never the local owner
            Files.writeString(
                    config, "gateway { mode = remote, remote { url = \"ws://127.0.0.1:" + gateway.port() + "\" } }\n");
            assertThat(QuickPath.run(env(), "health", "--state-dir", state.toString()))
                    .isEmpty();
            assertThat(out.size() + err.size()).isZero();
            assertThat(fullRun("health", "--state-dir", state.toString()))
                    .startsWith("1\n")
                    .contains(
                            "the CLI sent no credential (no --token, SWITCHBOARD_GATEWAY_TOKEN, gateway.remote.token");
            Files.writeString(config, good);

            assertThat(quickHealth("health", "--state-dir", state.toString())).startsWith("0\n");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "health --probe",
                "health --verbose",
                "health --json --probe",
                "health --url ws://127.0.0.1:1",
                "health --token secret",
                "health --help",
                "health --json --json",
                "health extra",
                "--json health",
                "healthz",
            })
    void leavesOtherHealthCommandLinesToPicocli(String line) {
        assertThat(QuickPath.parse(line.split(" "))).as(line).isEmpty();
    }
}
