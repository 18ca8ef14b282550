package dev.switchboard.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigCommandsTest {
    @TempDir
    Path tmp;

    private CliHarness cli() {
        return new CliHarness(tmp.resolve("state"));
    }

    @Test
    void initWritesAPrivateHoconFileIntoANewPrivateStateDir() throws Exception {
        CliHarness cli = cli();

        Result run = cli.run("config", "init");

        Path file = cli.stateDir().resolve("switchboard.conf");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("wrote " + file)
                .contains("  2. switchboard --state-dir " + cli.stateDir() + " config validate\n")
                .contains("  3. switchboard --state-dir " + cli.stateDir() + " gateway run\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.stateDir())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text)
                .contains("mode = \"local\"")
                .contains("# token = { env = \"SWITCHBOARD_GATEWAY_TOKEN\" }")
                .contains("history_limit = 50")
                .contains("url = \"jdbc:sqlite:${state}/switchboard.db\"")
                .contains("# testchat {")
                .contains("#       bot_token = { env = \"TESTCHAT_BOT_TOKEN\" }")
                .contains("# testnotify {");
    }

    @Test
    void initNextStepsCarryTheFlagsThatChoseTheStateDir() {
        CliHarness cli = cli();

        Result run = cli.run("--profile", "docs", "config", "init");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String flags = "switchboard --state-dir " + cli.stateDir() + " --profile docs ";
        assertThat(run.out())
                .contains("  2. " + flags + "config validate\n")
                .contains("  3. " + flags + "gateway run\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchboard.conf", "custom.toml"})
    void theStarterFileLoadsAndConfiguresNoChannels(String name) {
        CliHarness cli = cli();
        Path file = tmp.resolve(name);

        Result init = cli.run("config", "init", "--config", file.toString());
        Result validate = cli.run("config", "validate", "--config", file.toString());

        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(init.out()).contains(" config validate --config " + file + "\n");
        GatewayConfig config = new ConfigLoader(ChannelRegistry.discover()).load(file);
        assertThat(config.channels()).isEmpty();
        assertThat(config.gateway().auth().token()).isEmpty();
        assertThat(config.agent().historyLimit()).isEqualTo(50);
        assertThat(config.store().url()).isEqualTo("jdbc:sqlite:${state}/switchboard.db");
        assertThat(config.gateway().controlUi().allowedOrigins()).isEmpty();
        assertThat(config.gateway().limits()).isEqualTo(GatewayConfig.Limits.DEFAULTS);
        assertThat(validate.out()).isEqualTo("ok: " + file + " (0 channel sections, 0 accounts)\n");
        assertThat(validate.exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchboard.conf", "custom.toml"})
    void anUncommentedChannelExampleIsOneAccountToFillIn(String name) throws Exception {
        CliHarness cli = cli();
        Path file = tmp.resolve(name);
        cli.run("config", "init", "--config", file.toString());

        // uncomment the testchat example, as an operator would
        String text = Files.readString(file);
        String section = text.substring(
                text.indexOf("# testchat") >= 0 ? text.indexOf("# testchat") : text.indexOf("# [testchat]"));
        section = section.substring(0, section.indexOf("\n\n") < 0 ? section.length() : section.indexOf("\n\n"));
        String uncommented = section.lines()
                .map(line -> line.startsWith("# ") ? line.substring(2) : line.equals("#") ? "" : line)
                .collect(Collectors.joining("\n"));
        Files.writeString(file, text.replace(section, uncommented));

        GatewayConfig config = new ConfigLoader(ChannelRegistry.discover()).load(file);
        assertThat(config.channels()).containsOnlyKeys("testchat");
        assertThat(config.channels().get("testchat").accounts()).containsOnlyKeys("main");
        // the empty allowlist is the one thing left to fill in: validate says so
        Result validate = cli.run("config", "validate", file.toString());
        assertThat(validate.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(validate.err()).contains("testchat.accounts.main.allowed_chat_ids: is empty");
    }

    @Test
    void initRefusesToOverwriteWithoutForce() throws Exception {
        CliHarness cli = cli();
        assertThat(cli.run("config", "init").exitCode()).isZero();
        Path file = cli.stateDir().resolve("switchboard.conf");
        Files.writeString(file, "gateway.port = 1234\n");

        Result again = cli.run("config", "init");

        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(again.err())
                .contains(file.toString())
                .contains("already exists")
                .contains("--force");
        assertThat(Files.readString(file)).isEqualTo("gateway.port = 1234\n");

        Result forced = cli.run("config", "init", "--force");
        assertThat(forced.exitCode()).isZero();
        assertThat(Files.readString(file)).contains("# testchat {");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void initRefusesJsonPolitely() {
        Result run =
                cli().run("config", "init", "--config", tmp.resolve("c.json").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("error: config init writes .conf or .toml");
        assertThat(tmp.resolve("c.json")).doesNotExist();
    }

    @Test
    void validateReportsEveryProblemOnStderr() throws Exception {
        Path file = tmp.resolve("bad.toml");
        Files.writeString(
                file,
                """
                [gateway]
                port = "abc"
                [testchat.accounts.main]
                bot_token = { env = "TC_TOKEN" }
                alowed_chat_ids = [1]
                """);

        Result run = cli().env("TC_TOKEN", "t").run("config", "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines())
                // the misspelt key leaves the account without an allowlist: both are said
                .contains(file + ": 3 configuration problems")
                .anyMatch(line -> line.startsWith(file + ":3: testchat.accounts.main.allowed_chat_ids: is missing"))
                .anyMatch(line -> line.startsWith(file + ":2: gateway.port: "))
                .anyMatch(line -> line.startsWith(file + ":5: testchat.accounts.main.alowed_chat_ids: unknown key")
                        && line.contains("allowed_chat_ids"));
    }

    @Test
    void validateReportsWhatGatewayRunWouldRefuseInEverySection() throws Exception {
        Path file = tmp.resolve("switchboard.conf");
        Files.writeString(
                file,
                """
                testchat {
                  accounts {
                    a { bot_token = { env = "A" }, allowed_chat_ids = [1] }
                    b { bot_token = { env = "A" }, allowed_chat_ids = [2] }
                  }
                }
                testnotify { webhook_key = "k", targets = ["x"] }
                """);

        Result run = cli().env("A", "t").run("config", "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains(file + ": 2 configuration problems")
                .contains("testchat has 2 accounts (a, b) and no default_account")
                .contains("testchat.accounts.a and testchat.accounts.b use the same bot_token");
    }

    @Test
    void validateCountsSectionsAndAccountsOfTheLocatedConfig() throws Exception {
        CliHarness cli = cli();
        Files.createDirectories(cli.stateDir());
        Path file = cli.stateDir().resolve("switchboard.toml");
        Files.writeString(
                file,
                """
                [testchat]
                default_account = "a"
                allowed_chat_ids = ["*"]
                [testchat.accounts.a]
                bot_token = { env = "A" }
                [testchat.accounts.b]
                bot_token = { env = "B" }
                """);

        Result run = cli.env("A", "token-a").env("B", "token-b").run("config", "validate");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("ok: " + file + " (1 channel section, 2 accounts)\n");
    }

    @Test
    void theSpecsTelegramFeishuAndWeComSectionsValidateWithTheirSecretsInTheEnvironment() throws Exception {
        CliHarness cli = cli().env("TELEGRAM_BOT_TOKEN", "123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ")
                .env("LARK_WORK_APP_ID", "cli_a1b2c3d4e5f6a7b8")
                .env("LARK_WORK_APP_SECRET", "lark-app-secret-value")
                .env("WECOM_ALERTS_BOT_ID", "aibot-alerts-bot-id")
                .env("WECOM_ALERTS_SECRET", "wecom-bot-secret-value");
        Files.createDirectories(cli.stateDir());
        Path file = cli.stateDir().resolve("switchboard.toml");
        // SPEC §2.2, verbatim
        Files.writeString(
                file,
                """
                [telegram]
                enabled = true
                default_account = "bot_123456"
                [telegram.accounts.bot_123456]
                bot_token = { env = "TELEGRAM_BOT_TOKEN" }
                allowed_chat_ids = [123456789]
                # api_base_url = "http://127.0.0.1:8081"   (self-hosted Bot API server, or a test fake)

                [feishu]
                enabled = true
                mode = "websocket"              # websocket | webhook
                default_account = "work"
                [feishu.accounts.work]
                domain = "lark"                 # feishu (open.feishu.cn) | lark (open.larksuite.com)
                app_id = { env = "LARK_WORK_APP_ID" }
                app_secret = { env = "LARK_WORK_APP_SECRET" }
                allowed_chat_ids = ["oc_ops_room"]
                # base_url = "http://127.0.0.1:8082"

                [wecom]
                enabled = true
                default_account = "alerts"
                [wecom.accounts.alerts]
                bot_id = { env = "WECOM_ALERTS_BOT_ID" }
                secret = { env = "WECOM_ALERTS_SECRET" }
                allowed_conversation_ids = ["group_alerts"]
                # ws_url = "ws://127.0.0.1:8083"
                """);

        Result run = cli.run("config", "validate");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("ok: " + file + " (3 channel sections, 3 accounts)\n");
        assertThat(run.toString()).doesNotContain("lark-app-secret-value").doesNotContain("wecom-bot-secret-value");
    }

    @Test
    void aWeComAccountWithAnHttpsWsUrlIsOneLineNamingTheKey() throws Exception {
        Path file = tmp.resolve("switchboard.toml");
        Files.writeString(
                file,
                """
                [wecom.accounts.alerts]
                bot_id = "aibot-alerts"
                secret = "s"
                ws_url = "https://openws.work.weixin.qq.com"
                allowed_conversation_ids = ["group_alerts"]
                """);

        Result run = cli().run("config", "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains("wecom.accounts.alerts")
                .contains("ws_url: \"https://openws.work.weixin.qq.com\" (expected: a ws:// or wss:// URL");
    }

    @Test
    void aFeishuAccountWithABadDomainIsOneLineNamingTheKey() throws Exception {
        Path file = tmp.resolve("switchboard.toml");
        Files.writeString(
                file,
                """
                [feishu.accounts.work]
                domain = "larksuite"
                app_id = "cli_a1b2c3d4e5f6a7b8"
                app_secret = "s"
                allowed_chat_ids = ["oc_ops_room"]
                """);

        Result run = cli().run("config", "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("feishu.accounts.work").contains("domain: \"larksuite\" (expected: feishu");
    }

    @Test
    void validateWithoutAConfigRefusesLikeGatewayRun() {
        Result run = cli().run("config", "validate");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .startsWith("error: no config file found (looked at ")
                .contains(" config init', or run the gateway on built-in defaults with 'switchboard")
                .contains(" gateway run --allow-unconfigured' (or --dev");
    }

    @Test
    void theNoConfigRefusalNamesTheCommandLinesOwnStateFlags() {
        Result profile = cli().run("config", "validate", "--profile", "docs");
        Result dev = cli().run("--dev", "config", "validate");

        assertThat(profile.err())
                .contains(" --profile docs config init'")
                .contains(" --profile docs gateway run --allow-unconfigured'");
        assertThat(dev.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(dev.err())
                .contains(" --dev config init'")
                .contains(" --dev gateway run' needs none: with --dev it runs on built-in defaults)")
                .doesNotContain("or --dev")
                .doesNotContain("--allow-unconfigured");
    }
}
