package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayTuning;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config get}, {@code config plan [FILE]} and {@code secrets reload} against a real gateway in
 * this JVM on port 0 running the {@code testchat} channel, its gateway token and the running account's
 * bot token read from {@code { file = ... }} secrets that the tests rewrite or remove.
 */
class ReloadCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The bot token of the account that does not run: config.get must never show it. */
    private static final String LITERAL = "literal-home-token-77";

    private static final String CONFIG =
            """
            gateway { auth { mode = token, token = { file = "%s" } } }
            testchat {
              default_account = work
              accounts {
                work { bot_token = { file = "%s" }, allowed_chat_ids = [1] }
                home { bot_token = "%s", allowed_chat_ids = [2] }
              }
            }
            """;

    @TempDir
    Path temp;

    private Path state;
    private Path configFile;
    private Path gatewayToken;
    private Path botToken;
    private Gateway gateway;

    @BeforeEach
    void startGateway() throws Exception {
        state = temp.resolve("state");
        Path secrets = temp.resolve("secrets");
        Files.createDirectories(state);
        Files.createDirectories(secrets);
        gatewayToken = secrets.resolve("gateway-token");
        botToken = secrets.resolve("work-bot-token");
        writeSecret(gatewayToken, "gw-file-token-31a8");
        writeSecret(botToken, "t-work-secret-1");
        configFile = state.resolve("switchboard.conf");
        Files.writeString(configFile, config("[1]"));
        ChannelRegistry registry = ChannelRegistry.discover();
        gateway = Gateway.builder()
                .config(new ConfigLoader(registry).load(configFile))
                .stateDir(state)
                .registry(registry)
                .environment(Map.of())
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                .tuning(GatewayTuning.DEFAULTS.withHeartbeat(Duration.ofHours(1)))
                .build()
                .start();
        awaitWork(AccountState.CONNECTED);
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private String config(String workAllowlist) {
        return CONFIG.formatted(gatewayToken, botToken, LITERAL)
                .replace("allowed_chat_ids = [1]", "allowed_chat_ids = " + workAllowlist);
    }

    private static void writeSecret(Path file, String value) throws IOException {
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private void awaitWork(AccountState state) throws InterruptedException {
        awaitWork(s -> s.state() == state, "testchat.work is " + state.name());
    }

    private AccountStatus awaitWork(Predicate<AccountStatus> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<AccountStatus> work = gateway.channels().stream()
                    .filter(s -> s.accountId().equals("work"))
                    .toList();
            if (work.size() == 1 && condition.test(work.get(0))) {
                return work.get(0);
            }
            assertThat(System.nanoTime()).as(what + "; now " + work).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private CliHarness cli() {
        return new CliHarness(state);
    }

    private Path edited(String text) throws IOException {
        Path file = temp.resolve("edited.conf");
        Files.writeString(file, text);
        return file;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void planOfAnAllowlistEditListsThePathAsHotAndTheAccountAsUpdatedLive() throws Exception {
        Path file = edited(config("[1, 2]"));

        Result text = cli().run("config", "plan", file.toString());

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out().lines().toList())
                .containsExactly(
                        "plan for " + file + " (gateway.reload.mode = hybrid)",
                        "  testchat.accounts.work.allowed_chat_ids  hot",
                        "accounts restarted     -",
                        "accounts started       -",
                        "accounts stopped       -",
                        "accounts updated live  testchat.work",
                        "gateway restart        no: applied live");

        Result json = cli().run("config", "plan", file.toString(), "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode plan = JSON.readTree(json.out());
        assertThat(fieldNames(plan))
                .containsExactly("hash", "mode", "changes", "hot", "channel", "restart", "accounts", "restartNeeded");
        assertThat(plan.get("mode").asText()).isEqualTo("hybrid");
        assertThat(plan.get("changes").toString())
                .isEqualTo("[{\"path\":\"testchat.accounts.work.allowed_chat_ids\",\"kind\":\"hot\"}]");
        assertThat(plan.get("hot").toString()).isEqualTo("[\"testchat.accounts.work.allowed_chat_ids\"]");
        assertThat(plan.get("accounts").toString())
                .isEqualTo("{\"restarted\":[],\"started\":[],\"stopped\":[],\"updated\":[\"testchat.work\"]}");
        assertThat(plan.get("restartNeeded").asBoolean()).isFalse();
        assertThat(plan.get("hash").asText()).hasSize(64);
        // a plan changes nothing: the running account keeps its allowlist
        assertThat(gateway.config()
                        .channels()
                        .get("testchat")
                        .accounts()
                        .get("work")
                        .values()
                        .getList("allowed_chat_ids")
                        .unwrapped())
                .containsExactly(1);
    }

    @Test
    void planOfAPortChangeSaysTheGatewayRestartsInProcess() throws Exception {
        Path file = edited(config("[1]").replace("gateway {", "gateway { port = 18999,"));

        Result run = cli().run("config", "plan", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("  gateway.port  restart\n")
                .contains("accounts restarted     -\n")
                .contains("gateway restart        yes: gateway.port needs it; gateway.reload.mode = hybrid"
                        + " restarts the gateway in-process\n");
        assertThat(JSON.readTree(cli().run("config", "plan", file.toString(), "--json")
                                .out())
                        .get("restartNeeded")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void planOfAnInvalidFileExits78WithTheGatewaysReasonNamingTheKey() throws Exception {
        Path file = edited(config("[1]").replace("gateway {", "gateway { port = \"abc\","));

        Result run = cli().run("config", "plan", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("error: " + file + " is refused: config.plan failed at ws://127.0.0.1:" + gateway.port())
                .contains("gateway.port: ")
                .contains("abc")
                .contains("(INVALID_REQUEST)")
                .contains("the line numbers are those of " + file);
    }

    @Test
    void planOfTheUnchangedFileSaysNoChangesWithOrWithoutItsName() throws Exception {
        Result named = cli().run("config", "plan", configFile.toString());
        assertThat(named.exitCode()).as(named.toString()).isZero();
        assertThat(named.out()).isEqualTo("no changes: " + configFile + " means the same as the running config\n");

        // without FILE: the file the gateway runs on (config.get's path)
        Files.writeString(configFile, config("[1, 3]"));
        Result implicit = cli().run("config", "plan");
        assertThat(implicit.exitCode()).as(implicit.toString()).isZero();
        assertThat(implicit.out())
                .startsWith("plan for " + configFile + " (gateway.reload.mode = hybrid)\n")
                .contains("  testchat.accounts.work.allowed_chat_ids  hot\n");
    }

    @Test
    void planWithoutARunningGatewayExits1AndPointsAtConfigValidate() throws Exception {
        Path file = edited(config("[1]"));
        Path elsewhere = temp.resolve("elsewhere");
        Files.createDirectories(elsewhere);

        Result run = new CliHarness(elsewhere).run("config", "plan", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.err())
                .startsWith("error: gateway not running (state dir " + elsewhere + ")")
                .contains("error: to check a file without a gateway: switchboard --state-dir " + elsewhere
                        + " config validate FILE");
    }

    @Test
    void aBadEditDoesNotStopTheOperatorAskingTheRunningGateway() throws Exception {
        Files.writeString(configFile, config("[1]") + "\ngateway.prot = 1\n");

        Result status = cli().run("channels", "status", "--json");

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("\"work\"");
        assertThat(status.err())
                .contains("warning: " + configFile + " does not load")
                .contains("config validate");
        assertThat(cli().run("config", "validate").exitCode()).isEqualTo(78);
    }

    @Test
    void configGetShowsPathHashAndValuesButNeverASecretValue() throws Exception {
        Result text = cli().run("config", "get");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        List<String> lines = text.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("path  " + configFile);
        assertThat(lines.get(1)).matches("hash  [0-9a-f]{64}");
        assertThat(text.out())
                .contains("\ngateway.auth.token ")
                .containsPattern("\ntestchat\\.accounts\\.work\\.allowed_chat_ids += \\[1]\n")
                .containsPattern("\ntestchat\\.accounts\\.work\\.bot_token +=")
                .contains("file " + botToken)
                .contains("<literal, redacted>")
                .doesNotContain(LITERAL)
                .doesNotContain("t-work-secret-1")
                .doesNotContain("gw-file-token-31a8");

        Result json = cli().run("config", "get", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode payload = JSON.readTree(json.out());
        assertThat(fieldNames(payload)).containsExactly("path", "hash", "config");
        assertThat(payload.get("path").asText()).isEqualTo(configFile.toString());
        assertThat(payload.get("hash").asText()).isEqualTo(lines.get(1).substring("hash  ".length()));
        assertThat(payload.at("/config/testchat/accounts/home/bot_token").asText())
                .isEqualTo("<literal, redacted>");
        assertThat(json.out())
                .doesNotContain(LITERAL)
                .doesNotContain("t-work-secret-1")
                .doesNotContain("gw-file-token-31a8");
    }

    @Test
    void secretsReloadRestartsTheAccountWhoseSecretChangedAndReportsOneThatNoLongerResolves() throws Exception {
        Result unchanged = cli().run("secrets", "reload");
        assertThat(unchanged.exitCode()).as(unchanged.toString()).isZero();
        assertThat(unchanged.out()).isEqualTo("secrets reloaded: every secret resolved as before\n");

        writeSecret(botToken, "t-work-secret-2");
        Result changed = cli().run("secrets", "reload");
        assertThat(changed.exitCode()).as(changed.toString()).isZero();
        assertThat(changed.out())
                .startsWith("secrets reloaded: applied ")
                .contains("\n  testchat.accounts.work.bot_token  channel\n")
                .contains("\naccounts restarted     testchat.work\n")
                .doesNotContain("degraded")
                .doesNotContain("t-work-secret");
        awaitWork(AccountState.CONNECTED);

        Files.delete(botToken);
        Result broken = cli().run("secrets", "reload");
        assertThat(broken.exitCode()).as(broken.toString()).isZero();
        assertThat(broken.out()).containsPattern("\ndegraded +testchat\\.work +.*" + botToken.getFileName() + ".*\n");
        AccountStatus work = awaitWork(s -> s.state() == AccountState.DEGRADED, "testchat.work is degraded");
        assertThat(work.lastError())
                .hasValueSatisfying(error -> assertThat(error).contains(botToken.toString()));
    }

    @Test
    void secretsReloadJsonIsThePayloadWithActionAndDegraded() throws Exception {
        Files.delete(botToken);

        Result json = cli().run("secrets", "reload", "--json");

        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode payload = JSON.readTree(json.out());
        assertThat(fieldNames(payload))
                .containsExactly(
                        "hash",
                        "mode",
                        "changes",
                        "hot",
                        "channel",
                        "restart",
                        "accounts",
                        "restartNeeded",
                        "action",
                        "message",
                        "degraded");
        assertThat(payload.get("action").asText()).isEqualTo("applied");
        assertThat(fieldNames(payload.get("degraded"))).containsExactly("testchat.work");
        assertThat(payload.at("/degraded/testchat.work").asText()).contains(botToken.toString());
    }

    @Test
    void secretsReloadRejectedWhenTheGatewaysOwnTokenFailsExits1AndKeepsTheOldSecrets() throws Exception {
        Files.delete(gatewayToken);

        Result run = cli().run("secrets", "reload");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("error: secrets.reload failed at ws://127.0.0.1:" + gateway.port()
                        + ": secrets reload rejected, the previous secrets stay: ")
                .contains(gatewayToken.toString())
                .contains("(INVALID_REQUEST)");
        // the old gateway token still admits clients
        Result status = cli().run("status", "--token", "gw-file-token-31a8");
        assertThat(status.exitCode()).as(status.toString()).isZero();
    }
}
