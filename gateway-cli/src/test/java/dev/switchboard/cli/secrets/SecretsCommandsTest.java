package dev.switchboard.cli.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code secrets audit | plan | migrate} on real config files in a temp state dir, in each format:
 * what an operator reads (file:line, key, source; never a value) and what ends up on disk (the
 * config with only its values replaced, 0600 files in a 0700 dir, the same values resolving).
 */
class SecretsCommandsTest {
    private static final String GATEWAY_TOKEN = "gw-tok-5b1f9a3e";
    private static final String OPENAI_KEY = "sk-openai-77c2d1";
    private static final String BOT_TOKEN = "123456:AAE-bot-secret";
    private static final List<String> VALUES = List.of(GATEWAY_TOKEN, OPENAI_KEY, BOT_TOKEN);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each format with its three literals (gateway token, agent key, bot token) on the lines of {@link #LINES}. */
    private static final Map<String, String> CONFIGS = Map.of(
            "conf",
            """
            # ops gateway
            gateway {
              auth {
                mode = "token"
                token = "gw-tok-5b1f9a3e"   # rotate monthly
              }
            }
            agent.openai.api_key: sk-openai-77c2d1
            testchat.accounts.bot {
              allowed_chat_ids = ["1"]
              bot_token = "123456:AAE-bot-secret" // from BotFather
            }
            """,
            "toml",
            """
            # ops gateway
            [gateway.auth]
            mode = "token"
            # rotate monthly
            token = "gw-tok-5b1f9a3e"

            [agent.openai]
            api_key = 'sk-openai-77c2d1'

            [testchat.accounts.bot]
            bot_token = "123456:AAE-bot-secret" # from BotFather
            allowed_chat_ids = ["1"]
            """,
            "json",
            """
            {
              "gateway": {
                "auth": {
                  "mode": "token",
                  "token": "gw-tok-5b1f9a3e"
                }
              },
              "agent": {
                "openai": {"api_key": "sk-openai-77c2d1"}
              },
              "testchat": {"accounts": {"bot": {"allowed_chat_ids": ["1"],
                "bot_token": "123456:AAE-bot-secret"}}}
            }
            """);

    private static final Map<String, List<Integer>> LINES = Map.of(
            "conf", List.of(5, 8, 11),
            "toml", List.of(5, 8, 11),
            "json", List.of(5, 9, 12));

    @TempDir
    Path tmp;

    private CliHarness cli() {
        return new CliHarness(tmp.resolve("state"));
    }

    private Path write(CliHarness cli, String ext, String text) throws Exception {
        Files.createDirectories(
                cli.stateDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = cli.stateDir().resolve("switchboard." + ext);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"conf", "toml", "json"})
    void auditListsEachPlaintextSecretAtItsLineAndNeverItsValue(String ext) throws Exception {
        CliHarness cli = cli();
        Path file = write(cli, ext, CONFIGS.get(ext));
        List<Integer> lines = LINES.get(ext);

        Result audit = cli.run("secrets", "audit");

        assertThat(audit.exitCode()).as(audit.toString()).isEqualTo(SecretsAuditCommand.FINDINGS);
        assertThat(audit.out())
                .contains(file + ":" + lines.get(0) + ": gateway.auth.token: plaintext literal\n")
                .contains(file + ":" + lines.get(1) + ": agent.openai.api_key: plaintext literal\n")
                .contains(file + ":" + lines.get(2) + ": testchat.accounts.bot.bot_token: plaintext literal\n")
                .contains("3 plaintext literals, 0 unresolvable references");
        noValueIn(audit);
    }

    @Test
    void auditNamesARefThatDoesNotResolveWithTheResolversReason() throws Exception {
        CliHarness cli = cli();
        Path file = write(
                cli,
                "conf",
                """
                gateway.auth.mode = "token"
                gateway.auth.token = { env = "OPS_GATEWAY_TOKEN" }
                testchat.accounts.bot {
                  allowed_chat_ids = ["1"]
                  bot_token = { file = "/nonexistent/bot-token" }
                }
                """);

        Result text = cli.run("secrets", "audit");
        Result json = cli.run("secrets", "audit", "--json");

        assertThat(text.exitCode()).as(text.toString()).isEqualTo(SecretsAuditCommand.FINDINGS);
        assertThat(text.out())
                .contains(file + ":2: gateway.auth.token: env OPS_GATEWAY_TOKEN is not set\n")
                .contains(file + ":5: testchat.accounts.bot.bot_token: file /nonexistent/bot-token does not exist\n")
                .contains("0 plaintext literals, 2 unresolvable references");
        JsonNode tree = JSON.readTree(json.out());
        assertThat(json.exitCode()).isEqualTo(SecretsAuditCommand.FINDINGS);
        assertThat(tree.path("clean").asBoolean(true)).isFalse();
        assertThat(tree.path("literals")).isEmpty();
        JsonNode first = tree.path("unresolved").get(0);
        assertThat(first.path("key").asText()).isEqualTo("gateway.auth.token");
        assertThat(first.path("line").asInt()).isEqualTo(2);
        assertThat(first.path("source").asText()).isEqualTo("env");
        assertThat(first.path("ref").asText()).isEqualTo("OPS_GATEWAY_TOKEN");
        assertThat(first.path("reason").asText()).isEqualTo("is not set");

        Result resolved = cli.env("OPS_GATEWAY_TOKEN", GATEWAY_TOKEN).run("secrets", "audit");
        assertThat(resolved.out()).doesNotContain("gateway.auth.token");
    }

    @Test
    void planShowsEverySecretsSourceAndRefAndWhetherItResolves() throws Exception {
        CliHarness cli = cli().env("OPS_GATEWAY_TOKEN", GATEWAY_TOKEN);
        write(
                cli,
                "toml",
                """
                [gateway.auth]
                mode = "token"
                token = { env = "OPS_GATEWAY_TOKEN" }
                [agent.openai]
                api_key = "sk-openai-77c2d1"
                [testchat.accounts.bot]
                allowed_chat_ids = ["1"]
                bot_token = { exec = ["/nonexistent/vault", "read", "bot"] }
                """);

        Result text = cli.run("secrets", "plan");
        Result json = cli.run("secrets", "plan", "--json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out())
                .containsPattern("gateway.auth.token +env +OPS_GATEWAY_TOKEN +yes\n")
                .containsPattern("agent.openai.api_key +literal +- +yes\n")
                .containsPattern("testchat.accounts.bot.bot_token +exec +/nonexistent/vault +no: does not exist\n");
        noValueIn(text);
        JsonNode secrets = JSON.readTree(json.out()).path("secrets");
        assertThat(secrets).hasSize(3);
        assertThat(secrets.get(2).path("source").asText()).isEqualTo("exec");
        assertThat(secrets.get(2).path("ref").asText()).isEqualTo("/nonexistent/vault");
        assertThat(secrets.get(2).path("resolves").asBoolean(true)).isFalse();
        assertThat(secrets.get(1).path("ref").isNull()).isTrue();
        assertThat(json.out()).doesNotContain(OPENAI_KEY).doesNotContain("read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"conf", "toml", "json"})
    void migrateToFileReplacesOnlyTheValuesAndTheSameSecretsResolve(String ext) throws Exception {
        CliHarness cli = cli();
        String original = CONFIGS.get(ext);
        Path file = write(cli, ext, original);
        Path dir = cli.stateDir().resolve("secrets").toAbsolutePath();

        Result migrate = cli.run("secrets", "migrate", "--to", "file");

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out())
                .contains("moved 3 plaintext secrets:")
                .containsPattern("\n  gateway\\.auth\\.token +line "
                        + LINES.get(ext).get(0) + " +-> file "
                        + Pattern.quote(dir.resolve("gateway.auth.token").toString()) + "\n")
                .contains("rewrote " + file + " (comments and layout kept)")
                .contains("no gateway is running on ");
        noValueIn(migrate);
        String expected = original;
        for (String[] change : List.of(
                new String[] {GATEWAY_TOKEN, "gateway.auth.token"},
                new String[] {OPENAI_KEY, "agent.openai.api_key"},
                new String[] {BOT_TOKEN, "testchat.accounts.bot.bot_token"})) {
            String ref = ext.equals("json")
                    ? "{\"file\": \"" + dir.resolve(change[1]) + "\"}"
                    : "{ file = \"" + dir.resolve(change[1]) + "\" }";
            expected = expected.replace("'" + change[0] + "'", ref)
                    .replace("\"" + change[0] + "\"", ref)
                    .replace(change[0], ref);
        }
        assertThat(Files.readString(file))
                .as("the config, values replaced and nothing else")
                .isEqualTo(expected);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .as("the config keeps its mode")
                .isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        for (String name : List.of("gateway.auth.token", "agent.openai.api_key", "testchat.accounts.bot.bot_token")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
                    .as(name)
                    .isEqualTo("rw-------");
        }
        GatewayConfig config = new ConfigLoader(ChannelRegistry.discover()).load(file);
        SecretSnapshot snapshot =
                SecretSnapshot.resolve(config, new SecretResolver(Map.of(), SecretResolver.DEFAULT_EXEC_TIMEOUT));
        assertThat(snapshot.failures()).isEmpty();
        assertThat(snapshot.gateway("gateway.auth.token").orElseThrow().reveal())
                .isEqualTo(GATEWAY_TOKEN);
        assertThat(snapshot.gateway("agent.openai.api_key").orElseThrow().reveal())
                .isEqualTo(OPENAI_KEY);
        assertThat(snapshot.account("testchat", "bot").get("bot_token").reveal())
                .isEqualTo(BOT_TOKEN);

        Result audit = cli.run("secrets", "audit");
        assertThat(audit.exitCode()).as(audit.toString()).isZero();
        assertThat(audit.out())
                .isEqualTo("clean: " + file + " (3 secrets, none in plaintext, every reference resolves)\n");
        Result again = cli.run("secrets", "migrate", "--to", "file");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).isEqualTo("nothing to migrate: " + file + " holds no plaintext secret\n");
        assertThat(Files.readString(file)).isEqualTo(expected);
    }

    @Test
    void aSecretTheSectionGivesItsAccountsIsListedAndMovedOnceAtTheSectionsLine() throws Exception {
        CliHarness cli = cli();
        Path file = write(
                cli,
                "toml",
                """
                [testchat]
                bot_token = "123456:AAE-bot-secret"
                [testchat.accounts.a]
                allowed_chat_ids = ["1"]
                [testchat.accounts.b]
                allowed_chat_ids = ["2"]
                """);

        Result audit = cli.run("secrets", "audit");
        Result migrate = cli.run("secrets", "migrate", "--to", "file");

        assertThat(audit.out())
                .isEqualTo(file + ":2: testchat.bot_token: plaintext literal\n"
                        + "1 plaintext literal, 0 unresolvable references; move the literals out: switchboard"
                        + " secrets migrate --to file\n");
        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        Path secret = cli.stateDir().resolve("secrets/testchat.bot_token").toAbsolutePath();
        assertThat(Files.readString(file))
                .startsWith("[testchat]\nbot_token = { file = \"" + secret + "\" }\n[testchat.accounts.a]\n");
        GatewayConfig config = new ConfigLoader(ChannelRegistry.discover()).load(file);
        SecretSnapshot snapshot =
                SecretSnapshot.resolve(config, new SecretResolver(Map.of(), SecretResolver.DEFAULT_EXEC_TIMEOUT));
        assertThat(snapshot.account("testchat", "a").get("bot_token").reveal()).isEqualTo(BOT_TOKEN);
        assertThat(snapshot.account("testchat", "b").get("bot_token").reveal()).isEqualTo(BOT_TOKEN);
        noValueIn(audit);
        noValueIn(migrate);
    }

    @Test
    void migrateToEnvWritesTheValuesToAPrivateEnvFileAndPrintsNone() throws Exception {
        CliHarness cli = cli();
        Path file = write(cli, "toml", CONFIGS.get("toml"));
        Path envFile = cli.stateDir().resolve("gateway.env").toAbsolutePath();

        Result migrate = cli.run("secrets", "migrate", "--to", "env");

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out())
                .contains(
                        "testchat.accounts.bot.bot_token  line 11   -> env SWITCHBOARD_TESTCHAT_ACCOUNTS_BOT_BOT_TOKEN")
                .contains("set -a; . " + envFile + "; set +a");
        noValueIn(migrate);
        assertThat(Files.readString(file))
                .contains("token = { env = \"SWITCHBOARD_GATEWAY_AUTH_TOKEN\" }\n")
                .contains("api_key = { env = \"SWITCHBOARD_AGENT_OPENAI_API_KEY\" }\n")
                .contains("bot_token = { env = \"SWITCHBOARD_TESTCHAT_ACCOUNTS_BOT_BOT_TOKEN\" } # from BotFather\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)))
                .isEqualTo("rw-------");
        assertThat(Files.readAllLines(envFile))
                .containsExactly(
                        "SWITCHBOARD_GATEWAY_AUTH_TOKEN='" + GATEWAY_TOKEN + "'",
                        "SWITCHBOARD_AGENT_OPENAI_API_KEY='" + OPENAI_KEY + "'",
                        "SWITCHBOARD_TESTCHAT_ACCOUNTS_BOT_BOT_TOKEN='" + BOT_TOKEN + "'");

        Result unset = cli.run("secrets", "audit");
        assertThat(unset.exitCode()).isEqualTo(SecretsAuditCommand.FINDINGS);
        assertThat(unset.out()).contains("env SWITCHBOARD_GATEWAY_AUTH_TOKEN is not set");
        CliHarness loaded = cli.env("SWITCHBOARD_GATEWAY_AUTH_TOKEN", GATEWAY_TOKEN)
                .env("SWITCHBOARD_AGENT_OPENAI_API_KEY", OPENAI_KEY)
                .env("SWITCHBOARD_TESTCHAT_ACCOUNTS_BOT_BOT_TOKEN", BOT_TOKEN);
        assertThat(loaded.run("secrets", "audit").exitCode()).isZero();
    }

    @Test
    void dryRunShowsTheMovesAndWritesNothing() throws Exception {
        CliHarness cli = cli();
        Path file = write(cli, "conf", CONFIGS.get("conf"));

        Result dry = cli.run("secrets", "migrate", "--to", "file", "--dry-run");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would move 3 plaintext secrets:").contains("dry run: nothing written");
        noValueIn(dry);
        assertThat(Files.readString(file)).isEqualTo(CONFIGS.get("conf"));
        assertThat(cli.stateDir().resolve("secrets")).doesNotExist();
    }

    @Test
    void aLiteralThatIsNotOnOneLineIsRefusedAndNothingChanges() throws Exception {
        CliHarness cli = cli();
        String text =
                """
                gateway.auth.mode = "token"
                gateway.auth.token = \"\"\"gw-tok-5b1f9a3e\"\"\"
                """;
        Path file = write(cli, "conf", text);

        Result migrate = cli.run("secrets", "migrate", "--to", "file");

        assertThat(migrate.exitCode()).as(migrate.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(migrate.err())
                .contains(file + ":2: gateway.auth.token: cannot find its literal on this line to replace");
        noValueIn(migrate);
        assertThat(Files.readString(file)).isEqualTo(text);
        assertThat(cli.stateDir().resolve("secrets")).doesNotExist();
    }

    @Test
    void aSecretFileHoldingAnotherValueIsNeverOverwritten() throws Exception {
        CliHarness cli = cli();
        Path file = write(cli, "conf", CONFIGS.get("conf"));
        Path dir = Files.createDirectories(cli.stateDir().resolve("secrets"));
        Path taken = dir.resolve("gateway.auth.token");
        Files.writeString(taken, "another-value");
        Files.setPosixFilePermissions(taken, PosixFilePermissions.fromString("rw-------"));

        Result migrate = cli.run("secrets", "migrate", "--to", "file");

        assertThat(migrate.exitCode()).as(migrate.toString()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(migrate.err())
                .contains(taken.toAbsolutePath() + " already exists and does not hold the value of gateway.auth.token");
        assertThat(Files.readString(taken)).isEqualTo("another-value");
        assertThat(Files.readString(file)).isEqualTo(CONFIGS.get("conf"));
    }

    @Test
    void anUnknownTargetIsAUsageError() throws Exception {
        CliHarness cli = cli();
        write(cli, "conf", CONFIGS.get("conf"));

        Result migrate = cli.run("secrets", "migrate", "--to", "vault");

        assertThat(migrate.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(migrate.err()).contains("--to: 'vault' (expected: file or env)");
    }

    @Test
    void anUnreadableConfigExits78() throws Exception {
        CliHarness cli = cli();
        write(cli, "conf", "gateway { auth.token = \"x\"\n");

        assertThat(cli.run("secrets", "audit").exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(cli.run("secrets", "plan").exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(cli.run("secrets", "migrate", "--to", "file").exitCode()).isEqualTo(ExitCodes.CONFIG);
    }

    private static void noValueIn(Result result) {
        for (String value : VALUES) {
            assertThat(result.out()).as("stdout").doesNotContain(value);
            assertThat(result.err()).as("stderr").doesNotContain(value);
        }
    }
}
