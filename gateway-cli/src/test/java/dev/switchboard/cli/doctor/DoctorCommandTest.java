package dev.switchboard.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.server.ListenAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
    private static final String WORK_TOKEN = "111111:work-token-value";
    private static final String GATEWAY_TOKEN = "gateway-token-value";

    @TempDir
    Path tmp;

    private Path stateDir;
    private int freePort;

    @BeforeEach
    void healthyStateDir() throws IOException {
        stateDir = tmp.resolve("state");
        Files.createDirectory(
                stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }
    }

    /** A config with one testchat account whose token comes from TC_WORK_TOKEN. */
    private void writeConfig(String channels) throws IOException {
        Files.writeString(
                stateDir.resolve("switchboard.toml"),
                """
                [gateway]
                port = %d
                [gateway.auth]
                token = { env = "SWITCHBOARD_GATEWAY_TOKEN" }

                %s
                """
                        .formatted(freePort, channels));
    }

    private static final String ONE_ACCOUNT =
            """
            [testchat.accounts.work]
            bot_token = { env = "TC_WORK_TOKEN" }
            allowed_chat_ids = [111, 222]
            """;

    private Path privateGatewayDir() throws IOException {
        return Files.createDirectory(
                stateDir.resolve("gateway"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static void privateFile(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private CliHarness cli() {
        return new CliHarness(stateDir)
                .env("TC_WORK_TOKEN", WORK_TOKEN)
                .env("SWITCHBOARD_GATEWAY_TOKEN", GATEWAY_TOKEN);
    }

    private static JsonNode json(Result run) throws IOException {
        return new ObjectMapper().readTree(run.out());
    }

    private static List<JsonNode> checks(JsonNode json, String status) {
        List<JsonNode> found = new ArrayList<>();
        json.get("checks").forEach(check -> {
            if (check.get("status").asText().equals(status)) {
                found.add(check);
            }
        });
        return found;
    }

    @Test
    void aHealthySetupIsAllOk() throws IOException {
        writeConfig(ONE_ACCOUNT);

        Result run = cli().run("doctor");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .startsWith("switchboard doctor: " + stateDir + "\n")
                .contains("ok    config ")
                .contains("ok    state dir ")
                .contains("ok    secrets                  3 secrets resolve".substring(0, 16))
                .contains("ok    gateway owner            not running".substring(0, 20))
                .contains("127.0.0.1:" + freePort + " is free (port from config)")
                .contains("token from gateway.auth.token (env SWITCHBOARD_GATEWAY_TOKEN)")
                .contains("testchat default account  work (only account)")
                .contains("testchat.work allowlist   2 conversations")
                .containsPattern("ok    testchat\\.work probe +test chat bot\n")
                .contains("0 failed, 0 warnings, ")
                .doesNotContain("warn ")
                .doesNotContain("fail ")
                .doesNotContain(WORK_TOKEN)
                .doesNotContain(GATEWAY_TOKEN);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aConfigThatDoesNotLoadGetsNoPortOrAuthVerdictFromTheBuiltInDefaults() throws IOException {
        Files.writeString(
                stateDir.resolve("switchboard.toml"),
                """
                [gateway]
                bind = "lan"
                prot = 18800
                [gateway.auth]
                mode = "none"
                """);

        Result run = cli().run("doctor");

        assertThat(run.exitCode()).as(run.toString()).isNotZero();
        assertThat(run.out())
                .contains("gateway.prot")
                .containsPattern("skip  port +the config file does not load")
                .containsPattern("skip  auth +the config file does not load")
                .doesNotContainPattern("(?m)^(ok|warn|fail) +(port|auth) ");
    }

    @Test
    void jsonHasTheDocumentedShape() throws IOException {
        writeConfig(ONE_ACCOUNT);

        Result run = cli().run("doctor", "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode json = json(run);
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.get("summary").toString()).matches("\\{\"ok\":\\d+,\"warn\":0,\"fail\":0,\"skip\":0}");
        assertThat(json.get("checks").get(0).get("name").asText()).isEqualTo("plugins");
        JsonNode first = json.get("checks").get(1);
        assertThat(first.get("name").asText()).isEqualTo("config");
        assertThat(first.get("status").asText()).isEqualTo("ok");
        assertThat(first.has("detail")).isTrue();
        assertThat(first.get("fix").isNull()).isTrue();
        assertThat(json.get("fixesApplied")).isEmpty();
    }

    @Test
    void aMissingEnvSecretFailsNamingTheVariableAndNeverPrintsAValue() throws IOException {
        writeConfig(
                """
                [testchat]
                default_account = "work"
                [testchat.accounts.work]
                bot_token = { env = "TC_WORK_TOKEN" }
                allowed_chat_ids = [111]
                [testchat.accounts.home]
                bot_token = { env = "TC_HOME_TOKEN" }
                allowed_chat_ids = [222]
                """);

        Result text = cli().run("doctor");
        Result json = cli().run("doctor", "--json");

        assertThat(text.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(text.out())
                .contains("fail  secrets")
                .contains("testchat.accounts.home.bot_token: env TC_HOME_TOKEN is not set")
                .contains("fix: set TC_HOME_TOKEN in the gateway's environment");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(json.out()).doesNotContain(WORK_TOKEN).doesNotContain(GATEWAY_TOKEN);
        JsonNode failed = checks(json(json), "fail").get(0);
        assertThat(failed.get("name").asText()).isEqualTo("secrets");
        assertThat(failed.get("detail").asText()).contains("TC_HOME_TOKEN");
        assertThat(failed.get("fix").asText()).contains("TC_HOME_TOKEN");
        assertThat(json(json).get("ok").asBoolean()).isFalse();
    }

    /**
     * Makes {@code dir} mode 0500 and, when this test runs as root (who ignores modes, so 0500 would
     * not stop {@code gateway run}), immutable as well; {@code close()} undoes both.
     */
    private static AutoCloseable readOnly(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        boolean root = command("id", "-u").output().equals("0");
        if (root) {
            assumeTrue(
                    command("chattr", "+i", dir.toString()).exitCode() == 0,
                    "running as root, which ignores modes, and chattr +i is not possible here");
        }
        return () -> {
            if (root) {
                command("chattr", "-i", dir.toString());
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        };
    }

    private record Command(int exitCode, String output) {}

    private static Command command(String... args) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return new Command(process.waitFor(), output);
        } catch (IOException e) {
            return new Command(-1, String.valueOf(e.getMessage()));
        }
    }

    @Test
    void aStateDirThisUserCannotWriteFailsWithTheChmodThatFixesIt() throws Exception {
        writeConfig(ONE_ACCOUNT);

        Result text;
        Result json;
        AutoCloseable undo = readOnly(stateDir);
        try {
            text = cli().run("doctor");
            json = cli().run("doctor", "--json");
        } finally {
            undo.close();
        }

        assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(text.out())
                .contains("fail  state dir ")
                .contains(stateDir + " is not writable by this user (")
                .contains("mode 0500): gateway run cannot create its files there")
                .contains("fix: chmod 700 " + stateDir);
        assertThat(json.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        JsonNode failed = checks(json(json), "fail").get(0);
        assertThat(failed.get("name").asText()).isEqualTo("state dir");
        assertThat(failed.get("fix").asText()).startsWith("chmod 700 " + stateDir);
    }

    @Test
    void aLogsDirThisUserCannotWriteFailsToo() throws Exception {
        writeConfig(ONE_ACCOUNT);
        Path logs = Files.createDirectory(
                stateDir.resolve("logs"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        Result run;
        AutoCloseable undo = readOnly(logs);
        try {
            run = cli().run("doctor");
        } finally {
            undo.close();
        }

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.out())
                .contains("ok    state dir ")
                .contains("fail  logs dir ")
                .contains(logs + " is not writable by this user (")
                .contains("fix: chmod 700 " + logs);
    }

    @Test
    void fixGivesAReadOnlyStateDirBackItsOwnersWriteAccess() throws IOException {
        writeConfig(ONE_ACCOUNT);
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("r-x------"));

        Result fixed = cli().run("doctor", "--fix");

        assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
        assertThat(fixed.out())
                .contains("fixed: chmod 700 " + stateDir + " (was 0500)")
                .contains("ok    state dir                 " + stateDir + " (0700)");
        assertThat(Files.getPosixFilePermissions(stateDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aGroupReadableStateDirFailsAndFixTightensIt() throws IOException {
        writeConfig(ONE_ACCOUNT);
        Path gatewayDir = Files.createDirectory(stateDir.resolve("gateway"));
        Path token = Files.writeString(gatewayDir.resolve("control.token"), "t");
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(gatewayDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        String config = Files.readString(stateDir.resolve("switchboard.toml"));

        Result before = cli().run("doctor");
        Result fixed = cli().run("doctor", "--fix");
        Result after = cli().run("doctor");

        assertThat(before.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(before.out())
                .contains("fail  state dir ")
                .contains(stateDir + " is accessible by group/others (mode 0750)")
                .contains("fix: chmod 700 " + stateDir)
                .contains("fail  control.token ")
                .contains("fix: chmod 600 " + token);
        assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
        assertThat(fixed.out())
                .contains("fixed: chmod 700 " + stateDir + " (was 0750)")
                .contains("fixed: chmod 700 " + gatewayDir + " (was 0755)")
                .contains("fixed: chmod 600 " + token + " (was 0644)")
                .contains("ok    state dir ");
        assertThat(after.exitCode()).isZero();
        assertThat(after.out()).doesNotContain("fixed:");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(stateDir.resolve("switchboard.toml"))).isEqualTo(config);
    }

    @Test
    void fixCreatesAMissingStateDir() throws IOException {
        CliHarness cli = new CliHarness(tmp.resolve("fresh"));

        Result before = cli.run("doctor", "--dev");
        Result fixed = cli.run("doctor", "--dev", "--fix", "--json");

        assertThat(before.out()).contains("warn  state dir ").contains("created on first gateway run");
        assertThat(before.out()).contains("ok    config ").contains("--dev runs on built-in defaults");
        assertThat(json(fixed).get("fixesApplied").get(0).asText())
                .isEqualTo("created " + tmp.resolve("fresh") + " (0700)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("fresh"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aCorruptOwnerFileAndAConfigWithErrorsAreExplainedNotFatal() throws IOException {
        Files.writeString(stateDir.resolve("switchboard.toml"), "[gateway]\nport = \"abc\"\nbnd = \"lan\"\n");
        Path gatewayDir = privateGatewayDir();
        privateFile(gatewayDir.resolve("owner.json"), "{\"instanceId\": tru");

        Result run = cli().run("doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .contains("fail  config ")
                .contains("switchboard.toml: 2 configuration problems")
                .contains("switchboard.toml:2: gateway.port: ")
                .contains("switchboard.toml:3: gateway.bnd: unknown key (did you mean 'bind'?)")
                .contains("fail  gateway owner ")
                .contains("not running, but owner.json is corrupt: ")
                .contains("fix: the next gateway run replaces it; to clear it now: rm "
                        + gatewayDir.resolve("owner.json"))
                .contains("skip  channels ")
                .contains("port ")
                .contains("auth ");
    }

    @Test
    void aStaleOwnerIsAWarning() throws IOException {
        writeConfig(ONE_ACCOUNT);
        Path gatewayDir = privateGatewayDir();
        privateFile(
                gatewayDir.resolve("owner.json"),
                """
                {"instanceId":"i-1","pid":999999,"pidStartTime":null,"mode":"gateway","session":null,
                 "version":"0.1.0","configPath":null,"stateDir":"%s","bind":"127.0.0.1","port":%d,
                 "portSource":"config","startedAt":"2025-01-01T00:00:00Z","heartbeatAt":"2025-01-01T00:00:00Z",
                 "phase":"running","channels":[],"shutdownReason":null,"lastError":null}
                """
                        .formatted(stateDir, freePort));

        Result run = cli().run("doctor");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("warn  gateway owner ")
                .contains("previous gateway (pid 999999) died without cleaning up; the next gateway run reclaims it");
    }

    @Test
    void credentialsThePlatformRejectsFailTheProbeWithItsAnswer() throws IOException {
        writeConfig(
                """
                [testchat]
                default_account = "work"
                [testchat.accounts.work]
                bot_token = { env = "TC_WORK_TOKEN" }
                allowed_chat_ids = [1]
                [testchat.accounts.old]
                bot_token = "revoked"
                allowed_chat_ids = [2]
                """);

        Result run = cli().run("doctor");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.out())
                .containsPattern("ok    testchat\\.work probe +test chat bot\n")
                .containsPattern("fail  testchat\\.old probe +the platform rejected the bot token \\(401\\)\n")
                .contains("fix: check testchat.accounts.old.bot_token, then: switchboard doctor")
                .doesNotContain(WORK_TOKEN);
    }

    @Test
    void theRunningGatewayProbesTheAccountsItServesAndTheDoctorTheOthers() throws IOException {
        writeConfig(
                """
                [testchat]
                default_account = "work"
                [testchat.accounts.work]
                bot_token = { env = "TC_WORK_TOKEN" }
                allowed_chat_ids = [1]
                [testchat.accounts.spare]
                bot_token = "spare-token"
                allowed_chat_ids = [2]
                """);
        GatewayConfig config = new ConfigLoader(ChannelRegistry.discover()).load(stateDir.resolve("switchboard.toml"));
        try (Gateway gateway = Gateway.builder()
                .config(config)
                .stateDir(stateDir)
                .registry(ChannelRegistry.discover())
                .secretResolver(new SecretResolver(
                        Map.of("SWITCHBOARD_GATEWAY_TOKEN", GATEWAY_TOKEN, "TC_WORK_TOKEN", WORK_TOKEN),
                        SecretResolver.DEFAULT_EXEC_TIMEOUT))
                .listen(new ListenAddress("127.0.0.1", freePort, PortSource.CONFIG))
                .build()
                .start()) {
            Result run = cli().run("doctor");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out())
                    .contains("running (pid " + ProcessHandle.current().pid() + ", port " + gateway.port())
                    .containsPattern(
                            "ok    testchat\\.work probe +test chat bot" + " \\(probed by the running gateway\\)\n")
                    .containsPattern("ok    testchat\\.spare probe +test chat bot\n");
        }
    }

    @Test
    void aRunningGatewayOfThisStateDirOwnsItsPort() throws IOException {
        writeConfig("");
        GatewayConfig config = new ConfigLoader(ChannelRegistry.discover()).load(stateDir.resolve("switchboard.toml"));
        try (Gateway gateway = Gateway.builder()
                .config(config)
                .stateDir(stateDir)
                .registry(ChannelRegistry.discover())
                .secretResolver(new SecretResolver(
                        Map.of("SWITCHBOARD_GATEWAY_TOKEN", GATEWAY_TOKEN), SecretResolver.DEFAULT_EXEC_TIMEOUT))
                .listen(new ListenAddress("127.0.0.1", freePort, PortSource.CONFIG))
                .build()
                .start()) {
            Result run = cli().run("doctor");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out())
                    .contains("ok    gateway owner ")
                    .contains("running (pid " + ProcessHandle.current().pid() + ", port " + gateway.port())
                    .contains("127.0.0.1:" + gateway.port() + " is held by this state dir's gateway (pid ");
        }
    }

    @Test
    void anEmptyAllowlistFails() throws IOException {
        writeConfig(
                """
                [testchat.accounts.work]
                bot_token = { env = "TC_WORK_TOKEN" }
                allowed_chat_ids = []
                """);

        Result run = cli().run("doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        // config validate's line, with its file and line, under the allowlist check and not also under config
        assertThat(run.out())
                .containsPattern("fail  testchat.work allowlist +"
                        + java.util.regex.Pattern.quote(stateDir.resolve("switchboard.toml")
                                + ":8: testchat.accounts.work.allowed_chat_ids: is empty; an account may not run"
                                + " without a conversation allowlist"))
                .contains("fix: list the conversation ids you trust in testchat.accounts.work.allowed_chat_ids")
                .contains("ok    config ");
    }

    @Test
    void twoAccountsWithTheSameResolvedTokenFail() throws IOException {
        writeConfig(
                """
                [testchat]
                default_account = "work"
                allowed_chat_ids = [1]
                [testchat.accounts.work]
                bot_token = { env = "TC_WORK_TOKEN" }
                [testchat.accounts.copy]
                bot_token = "%s"
                """
                        .formatted(WORK_TOKEN));

        Result run = cli().run("doctor", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.out()).doesNotContain(WORK_TOKEN);
        // once, in config validate's line, under the credentials check (and not also under config)
        assertThat(checks(json(run), "fail")).hasSize(1);
        JsonNode failed = checks(json(run), "fail").get(0);
        assertThat(failed.get("name").asText()).isEqualTo("testchat credentials");
        assertThat(failed.get("detail").asText())
                .isEqualTo(stateDir.resolve("switchboard.toml")
                        + ":6: testchat.accounts.work and testchat.accounts.copy use the same bot_token;"
                        + " one platform credential can run only one adapter");
    }

    @Test
    void aPortHeldByAnotherProcessFails() throws IOException {
        writeConfig(ONE_ACCOUNT);
        try (ServerSocket other = new ServerSocket(freePort, 1, InetAddress.getLoopbackAddress())) {
            Result run = cli().run("doctor");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME);
            assertThat(run.out())
                    .contains("fail  port ")
                    .contains("another process is already listening on 127.0.0.1:" + other.getLocalPort());
        }
    }

    @Test
    void noAuthOffLoopbackFailsAndAMissingTokenWarns() throws IOException {
        Files.writeString(
                stateDir.resolve("switchboard.toml"),
                "[gateway]\nport = %d\nbind = \"lan\"\n[gateway.auth]\nmode = \"none\"\n".formatted(freePort));
        Result exposed = new CliHarness(stateDir).run("doctor");

        Files.writeString(stateDir.resolve("switchboard.toml"), "[gateway]\nport = %d\n".formatted(freePort));
        Result minted = new CliHarness(stateDir).run("doctor");

        assertThat(exposed.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(exposed.out())
                .containsPattern("fail  auth +"
                        + java.util.regex.Pattern.quote(stateDir.resolve("switchboard.toml")
                                + ":3: gateway.bind: refusing to bind gateway to 0.0.0.0:" + freePort
                                + " without auth: gateway.auth.mode is \"none\""))
                .contains("ok    config ");
        assertThat(minted.exitCode()).isZero();
        assertThat(minted.out())
                .contains("warn  auth ")
                .contains("a random token is minted at every start")
                .contains("persist one with gateway.auth.token = { env = \"SWITCHBOARD_GATEWAY_TOKEN\" }")
                .contains("ok    channels ");
    }
}
