package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.testkit.channel.TestChannelProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidationTest {
    private static final String SECRET = "s3cr3t-VALUE-42";

    private final ConfigLoader loader = new ConfigLoader(TestChannels.registry());

    @TempDir
    Path dir;

    @Test
    void unknownKeysHaveLineAndHintInToml() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [gateway]
                port = 18789

                [telegram.accounts.bot]
                bot_token = { env = "TG" }
                alowed_chat_ids = [1]
                """);

        ConfigException e = fail(file);

        assertThat(e.kind()).isEqualTo(SwitchboardException.Kind.CONFIG);
        assertThat(e.problems())
                .containsExactly(new ConfigProblem(
                        file.toString(),
                        6,
                        "telegram.accounts.bot.alowed_chat_ids",
                        "unknown key (did you mean 'allowed_chat_ids'?)"));
        assertThat(e.getMessage())
                .isEqualTo(file + ": 1 configuration problem\n" + file
                        + ":6: telegram.accounts.bot.alowed_chat_ids: unknown key (did you mean 'allowed_chat_ids'?)");
    }

    @Test
    void unknownKeysHaveLineAndHintInHocon() throws Exception {
        Path file = write(
                "switchboard.conf",
                """
                gateway {
                  prot = 18789
                  auth {
                    mode = token
                    tokn = { env = X }
                  }
                }
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":2: gateway.prot: unknown key (did you mean 'port'?)",
                        file + ":5: gateway.auth.tokn: unknown key (did you mean 'token'?)");
    }

    @Test
    void unknownKeysHaveLineAndHintInJson() throws Exception {
        Path file = write(
                "switchboard.json",
                """
                {
                  "agent": {
                    "provider": "echo",
                    "history_limt": 10
                  },
                  "feishu": {
                    "accounts": {
                      "work": { "app_sercet": "x", "allowed_chat_ids": ["oc_1"] }
                    }
                  }
                }
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":4: agent.history_limt: unknown key (did you mean 'history_limit'?)",
                        file + ":8: feishu.accounts.work.app_sercet: unknown key (did you mean 'app_secret'?)");
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [gateway]
                mode = "locl"
                port = "abc"
                bind = "everywhere"
                [gateway.auth]
                mode = "secret"
                [gateway.reload]
                mode = "sometimes"

                [agent]
                provider = "gpt"
                history_limit = 0

                [store]
                url = 42
                """);

        ConfigException e = fail(file);

        assertThat(e.problems())
                .extracting(ConfigProblem::line, ConfigProblem::path, ConfigProblem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, "gateway.mode", "\"locl\" (expected: local | remote)"),
                        org.assertj.core.groups.Tuple.tuple(
                                3, "gateway.port", "\"abc\" (expected: an integer 0..65535)"),
                        org.assertj.core.groups.Tuple.tuple(
                                4, "gateway.bind", "\"everywhere\" (expected: loopback | lan | an IP address literal)"),
                        org.assertj.core.groups.Tuple.tuple(
                                6, "gateway.auth.mode", "\"secret\" (expected: token | password | none)"),
                        org.assertj.core.groups.Tuple.tuple(
                                8, "gateway.reload.mode", "\"sometimes\" (expected: off | hot | restart | hybrid)"),
                        org.assertj.core.groups.Tuple.tuple(11, "agent.provider", "\"gpt\" (expected: echo | openai)"),
                        org.assertj.core.groups.Tuple.tuple(12, "agent.history_limit", "0 (expected: an integer >= 1)"),
                        org.assertj.core.groups.Tuple.tuple(
                                15,
                                "store.url",
                                "42 (expected: jdbc:sqlite:<file> or jdbc:postgresql://<host>[:<port>]/<database>)"));
        assertThat(e.getMessage()).startsWith(file + ": 8 configuration problems\n");
        assertThat(e.getMessage().lines()).hasSize(9);
    }

    @Test
    void portRange() throws Exception {
        assertThat(formatted(write("a.toml", "[gateway]\nport = 70000\n")))
                .containsExactly(dir.resolve("a.toml") + ":2: gateway.port: 70000 (expected: an integer 0..65535)");
        assertThat(formatted(write("b.toml", "[gateway]\nport = -1\n")))
                .containsExactly(dir.resolve("b.toml") + ":2: gateway.port: -1 (expected: an integer 0..65535)");
        assertThat(formatted(write("c.conf", "gateway.port = 1.5\n")))
                .containsExactly(dir.resolve("c.conf") + ":1: gateway.port: 1.5 (expected: an integer 0..65535)");
        assertThat(loader.load(write("d.toml", "[gateway]\nport = 0\n"))
                        .gateway()
                        .port())
                .hasValue(0);
    }

    @Test
    void controlUiOriginsAndLimitsLoadNormalised() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [gateway]
                max_payload_bytes = 2048
                max_buffered_bytes = 65536
                tick_interval_ms = 1000
                slow_consumer_timeout_ms = 5000
                max_connections = 100
                request_header_timeout_ms = 2000
                http_idle_timeout_ms = 5000
                [gateway.control_ui]
                allowed_origins = ["HTTPS://Ops.Example.com:443/", "http://10.0.0.5:8080"]
                """);

        GatewayConfig.Gateway gateway = loader.load(file).gateway();

        assertThat(gateway.controlUi().allowedOrigins())
                .containsExactly("https://ops.example.com", "http://10.0.0.5:8080");
        assertThat(gateway.limits()).isEqualTo(new GatewayConfig.Limits(2048, 65536, 1000, 5000, 100, 2000, 5000));
    }

    @Test
    void controlUiOriginsAndLimitsDefaults() throws Exception {
        GatewayConfig.Gateway gateway =
                loader.load(write("empty.toml", "[gateway]\n")).gateway();

        assertThat(gateway.controlUi().allowedOrigins()).isEmpty();
        assertThat(gateway.limits()).isEqualTo(GatewayConfig.Limits.DEFAULTS);
        assertThat(gateway.limits())
                .isEqualTo(new GatewayConfig.Limits(1_048_576, 8_388_608, 15_000, 30_000, 16_384, 10_000, 30_000));
    }

    @Test
    void badOriginsAndLimitsAreRefused() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [gateway]
                max_payload_bytes = 1023
                max_buffered_bytes = 1024
                tick_interval_ms = 999
                slow_consumer_timeout_ms = 999
                max_connections = 0
                request_header_timeout_ms = 999
                http_idle_timeout_ms = "30s"
                [gateway.control_ui]
                allowed_origins = ["ops.example.com", "https://ops.example.com/ui", "null", 7, "file://"]
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":2: gateway.max_payload_bytes: 1023 (expected: an integer >= 1024)",
                        file + ":3: gateway.max_buffered_bytes: 1024 (expected: an integer >= 65536)",
                        file + ":4: gateway.tick_interval_ms: 999 (expected: an integer >= 1000)",
                        file + ":5: gateway.slow_consumer_timeout_ms: 999 (expected: an integer >= 1000)",
                        file + ":6: gateway.max_connections: 0 (expected: an integer >= 1)",
                        file + ":7: gateway.request_header_timeout_ms: 999 (expected: an integer >= 1000)",
                        file + ":8: gateway.http_idle_timeout_ms: \"30s\" (expected: an integer >= 1000)",
                        file + ":10: gateway.control_ui.allowed_origins[0]: \"ops.example.com\" (expected: an origin"
                                + " like \"https://ops.example.com\": scheme http or https, host and optional port, no path)",
                        file
                                + ":10: gateway.control_ui.allowed_origins[1]: \"https://ops.example.com/ui\" (expected: an"
                                + " origin like \"https://ops.example.com\": scheme http or https, host and optional port,"
                                + " no path)",
                        file + ":10: gateway.control_ui.allowed_origins[2]: \"null\" (expected: an origin like"
                                + " \"https://ops.example.com\": scheme http or https, host and optional port, no path)",
                        file + ":10: gateway.control_ui.allowed_origins[3]: 7 (expected: an origin like"
                                + " \"https://ops.example.com\": scheme http or https, host and optional port, no path)",
                        file + ":10: gateway.control_ui.allowed_origins[4]: \"file://\" (expected: an origin like"
                                + " \"https://ops.example.com\": scheme http or https, host and optional port, no path)");
        assertThat(formatted(write("s.toml", "[gateway.control_ui]\nallowed_origins = \"https://a.example\"\n")))
                .singleElement()
                .asString()
                .endsWith("gateway.control_ui.allowed_origins: \"https://a.example\" (expected: a list of origins like"
                        + " \"https://ops.example.com\" (scheme http or https, host, optional port))");
    }

    @Test
    void newKeysGetDidYouMeanHints() throws Exception {
        Path file = write(
                "switchboard.conf",
                """
                gateway {
                  max_payload_byte = 2048
                  tick_interval = 1000
                  controlui { allowed_origins = [] }
                  control_ui { allowed_origin = [] }
                }
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":2: gateway.max_payload_byte: unknown key (did you mean 'max_payload_bytes'?)",
                        file + ":3: gateway.tick_interval: unknown key (did you mean 'tick_interval_ms'?)",
                        file + ":4: gateway.controlui: unknown key (did you mean 'control_ui'?)",
                        file + ":5: gateway.control_ui.allowed_origin: unknown key (did you mean 'allowed_origins'?)");
    }

    @Test
    void badIpLiteralsAreRefusedWithoutLookingThemUp() throws Exception {
        for (String bind : List.of("256.1.1.1", "1.2.3", "localhost", "example.com", "::1::2", "fe80::zz", "")) {
            Path file = write("bind.toml", "[gateway]\nbind = \"" + bind + "\"\n");
            assertThat(formatted(file))
                    .as(bind)
                    .containsExactly(file + ":2: gateway.bind: \"" + bind
                            + "\" (expected: loopback | lan | an IP address literal)");
        }
    }

    @Test
    void wrongTablesAndTypes() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                gateway = "on"
                [agent]
                openai = 3
                [telegram]
                enabled = "yes"
                accounts = ["a"]
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":1: gateway: \"on\" (expected: a table)",
                        file + ":3: agent.openai: 3 (expected: a table)",
                        file + ":5: telegram.enabled: \"yes\" (expected: a boolean)",
                        file + ":6: telegram.accounts: a list (expected: a table of account tables)");
    }

    @Test
    void accountsMustBeATableOfTables() throws Exception {
        Path file = write(
                "switchboard.conf",
                """
                telegram.accounts {
                  good { bot_token = "x", allowed_chat_ids = [1] }
                  bad = "x"
                }
                """);

        assertThat(formatted(file))
                .containsExactly(file + ":3: telegram.accounts.bad: \"x\" (expected: a table of account settings)");
    }

    @Test
    void secretShapes() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [gateway.auth]
                token = { env = "1BAD" }
                password = { file = "relative/pw" }
                [gateway.remote]
                token = { env = "A", file = "/b" }
                [agent.openai]
                api_key = { exec = ["curl", "-H", "s3cr3t-VALUE-42"] }
                [telegram.accounts.a]
                bot_token = { enf = "TG" }
                allowed_chat_ids = [1]
                [telegram.accounts.b]
                bot_token = 12345
                allowed_chat_ids = [1]
                [telegram.accounts.c]
                bot_token = { }
                allowed_chat_ids = [1]
                [telegram.accounts.d]
                bot_token = ""
                allowed_chat_ids = [1]
                [telegram.accounts.e]
                bot_token = { exec = [] }
                allowed_chat_ids = [1]
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":2: gateway.auth.token.env: \"1BAD\" (expected: an environment variable name"
                                + " [A-Za-z_][A-Za-z0-9_]*)",
                        file + ":3: gateway.auth.password.file: \"relative/pw\" (expected: an absolute path)",
                        file + ":5: gateway.remote.token: expected exactly one of env, file, exec (got: env, file)",
                        file + ":7: agent.openai.api_key.exec: expected: a non-empty list of strings, the first an"
                                + " absolute path",
                        file + ":9: telegram.accounts.a.bot_token.enf: unknown key (did you mean 'env'?)"
                                + " (a secret takes env, file or exec)",
                        file + ":12: telegram.accounts.b.bot_token: got a number (expected: a string or"
                                + " { env | file | exec })",
                        file + ":15: telegram.accounts.c.bot_token: expected exactly one of env, file, exec",
                        file + ":18: telegram.accounts.d.bot_token: is empty (expected: a string or"
                                + " { env | file | exec })",
                        file + ":21: telegram.accounts.e.bot_token.exec: expected: a non-empty list of strings,"
                                + " the first an absolute path");
    }

    @Test
    void aLiteralSecretOfTheWrongTypeIsNeverEchoed() throws Exception {
        Path file = write(
                "switchboard.conf",
                """
                gateway.auth.token = [ "s3cr3t-VALUE-42" ]
                wecom.accounts.a {
                  secret = { file = "/x", exec = ["/bin/echo", "s3cr3t-VALUE-42"] }
                  allowed_conversation_ids = ["*"]
                }
                """);

        ConfigException e = fail(file);

        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(e.toString()).doesNotContain(SECRET);
    }

    @Test
    void defaultAccountMustExist() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [telegram]
                default_account = "bot_1"
                [telegram.accounts.bot_2]
                bot_token = "x"
                allowed_chat_ids = [1]
                [telegram.accounts.bot_3]
                bot_token = "y"
                allowed_chat_ids = [1]
                [wecom]
                enabled = false
                default_account = "alerts"
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":2: telegram.default_account: 'bot_1' is not a configured account"
                                + " (configured: bot_2, bot_3)",
                        file + ":11: wecom.default_account: 'alerts' is not a configured account"
                                + " (no accounts are configured)");
    }

    @Test
    void defaultAccountMayNameTheImplicitDefault() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [telegram]
                default_account = "default"
                bot_token = "x"
                allowed_chat_ids = [1]
                """);

        assertThat(loader.load(file).channel("telegram").orElseThrow().accounts())
                .containsOnlyKeys("default");
    }

    @Test
    void unknownSectionsAndAliases() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [telegarm]
                bot_token = "x"
                [lark]
                app_id = "x"
                [qywx]
                bot_id = "x"
                [logging]
                level = "debug"
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":1: telegarm: unknown section (did you mean 'telegram'?)",
                        file + ":3: lark: channel sections are named by id: use [feishu]",
                        file + ":5: qywx: channel sections are named by id: use [wecom]",
                        file + ":7: logging: unknown section (expected one of: gateway, agent, store, feishu,"
                                + " telegram, wecom, wecom-webhook)");
    }

    @Test
    void unknownKeysInChannelSectionsAndAccounts() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [feishu]
                mdoe = "websocket"
                default_acount = "work"
                [feishu.accounts.work]
                app_id = "x"
                allowed_chat_ids = ["oc"]
                enabled = false
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":2: feishu.mdoe: unknown key (did you mean 'mode'?)",
                        file + ":3: feishu.default_acount: unknown key (did you mean 'default_account'?)",
                        file + ":7: feishu.accounts.work.enabled: unknown key (enabled is a section-level key)");
    }

    @Test
    void allowlistsMustBeLists() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [telegram]
                allowed_chat_ids = "*"
                [telegram.accounts.a]
                bot_token = "x"
                allowed_chat_ids = [{ id = 1 }]
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":2: telegram.allowed_chat_ids: \"*\" (expected: a list of conversation ids, e.g."
                                + " [\"id1\", \"id2\"] or [\"*\"] for any)",
                        file + ":5: telegram.accounts.a.allowed_chat_ids: a list (expected: a list of conversation"
                                + " ids, e.g. [\"id1\", \"id2\"] or [\"*\"] for any)");
    }

    @Test
    void providerChecksRunOnMergedAccountsWithPlaceholderSecrets() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [feishu]
                mode = "webhook"
                verification_token = { env = "FEISHU_VERIFY" }
                [feishu.accounts.work]
                app_id = "cli_1"
                allowed_chat_ids = ["oc"]
                [feishu.accounts.home]
                app_id = "cli_2"
                encrypt_key = { env = "FEISHU_HOME_KEY" }
                domain = "larksuite"
                allowed_chat_ids = ["oc"]
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":4: feishu.accounts.work: webhook mode needs encrypt_key",
                        file + ":7: feishu.accounts.home: domain: 'larksuite' (expected: feishu | lark)");
    }

    @Test
    void providerChecksSkipDisabledSections() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [feishu]
                enabled = false
                mode = "webhook"
                [feishu.accounts.work]
                app_id = "cli_1"
                allowed_chat_ids = ["oc"]
                """);

        assertThat(loader.load(file).channel("feishu").orElseThrow().enabled()).isFalse();
    }

    @Test
    void nullIsRefused() throws Exception {
        Path file = write("switchboard.json", "{\"gateway\": {\"bind\": null}}");

        assertThat(formatted(file))
                .containsExactly(file + ":1: gateway.bind: null is not allowed (remove the key to use the default)");
    }

    @Test
    void syntaxErrorsHaveFileAndLine() throws Exception {
        Path toml = write("bad.toml", "[gateway]\nport = 1\nbind = \n");
        Path hocon = write("bad.conf", "gateway {\n  port = 1\n  bind = [\n");
        Path json = write("bad.json", "{\n  \"gateway\": {\n    \"port\": 1,\n  }\n}\n");

        for (Path file : List.of(toml, hocon, json)) {
            ConfigException e = fail(file);
            assertThat(e.problems()).as(file.toString()).hasSize(1);
            ConfigProblem problem = e.problems().get(0);
            assertThat(problem.file()).isEqualTo(file.toString());
            assertThat(problem.line()).as(file.toString()).isBetween(3, 5);
            assertThat(problem.path()).isEmpty();
        }
    }

    @Test
    void syntaxErrorsDoNotEchoAnUnquotedSecret() throws Exception {
        Path toml = write("leak.toml", "[telegram]\nbot_token = s3cr3t-VALUE-42\n");
        Path hocon = write("leak.conf", "telegram {\n  bot_token = s3cr3t-VALUE-42:x\n}\n");
        Path json = write("leak.json", "{\"telegram\": {\"bot_token\": s3cr3t-VALUE-42}}");

        for (Path file : List.of(toml, hocon, json)) {
            ConfigException e = fail(file);
            assertThat(e.getMessage())
                    .as(file.toString())
                    .doesNotContain(SECRET)
                    .doesNotContain("VALUE");
            assertThat(e.problems().get(0).line()).as(file.toString()).isPositive();
        }
    }

    @Test
    void tomlQuotedAndDottedKeysGetTheirLines() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                # a comment = 1
                [gateway]
                auth.mode = "token"
                auth.tokn = "x"
                description = \"\"\"
                not = "a key"
                \"\"\"
                [telegram.accounts."bot.one"]
                bot_token = "x"
                allowed_chat_ids = [
                  1,
                  2,
                ]
                colour = "blue"
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":4: gateway.auth.tokn: unknown key (did you mean 'token'?)",
                        file + ":5: gateway.description: unknown key",
                        file
                                + ":8: telegram.accounts.\"bot.one\": account id 'bot.one' (expected: letters, digits, '_' and '-')",
                        file + ":14: telegram.accounts.\"bot.one\".colour: unknown key");
    }

    @Test
    void messagesWithoutALineOmitIt() {
        assertThat(new ConfigProblem("/etc/sb/switchboard.toml", 0, "gateway.port", "bad").format())
                .isEqualTo("/etc/sb/switchboard.toml: gateway.port: bad");
        assertThat(new ConfigProblem("/etc/sb/switchboard.toml", 12, "", "syntax error").format())
                .isEqualTo("/etc/sb/switchboard.toml:12: syntax error");
        assertThatThrownBy(() -> new ConfigException("f", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWrongTypeFoundByTheChannelsTypedGettersIsTheConfigErrorAtTheAccountsLine() throws Exception {
        ChannelProvider acme =
                new TestChannelProvider(TestChannelProvider.Spec.replyLoop("acme", "allowed_ids")
                        .withSettings("limit")) {
                    @Override
                    public List<String> validate(AccountSettings settings) {
                        settings.integer("limit", 10);
                        return List.of();
                    }
                };
        Path file = write(
                "switchboard.toml",
                """
                [acme.accounts.main]
                allowed_ids = [1]
                limit = "lots"
                """);

        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> new ConfigLoader(ChannelRegistry.of(acme)).load(file));

        assertThat(e.problems())
                .extracting(ConfigProblem::format)
                .containsExactly(file + ":1: acme.accounts.main: acme.main.limit: string \"lots\""
                        + " (expected: a whole number from -2147483648 to 2147483647)");
    }

    @Test
    void aStoreUrlOfAnotherDatabaseIsRefusedAtItsLine() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [store]
                url = "jdbc:mysql://db/switchboard"
                """);

        assertThat(formatted(file))
                .containsExactly(
                        file + ":2: store.url: \"jdbc:mysql://db/switchboard\": unsupported database (expected:"
                                + " jdbc:sqlite:<file> or jdbc:postgresql://<host>[:<port>]/<database>)");
    }

    @Test
    void aStoreUrlTheStoreWouldRefuseIsRefusedAtItsLineWithoutItsPassword() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [store]
                url = "jdbc:postgresql://bob:hunter2@127.0.0.1:5432/switchboard"
                """);
        Path other = write(
                "other.toml",
                """
                [store]
                url = "jdbc:mysql://bob:hunter2@db/switchboard"
                """);
        Path noDatabase = write(
                "nodb.toml",
                """
                [store]
                url = "jdbc:postgresql://127.0.0.1:5432?password=hunter2"
                """);

        assertThat(formatted(file))
                .singleElement(as(STRING))
                .startsWith(file + ":2: store.url: \"jdbc:postgresql://…@127.0.0.1:5432/switchboard\": a user or"
                        + " password in the URL is not read")
                .doesNotContain("hunter2");
        assertThat(formatted(other))
                .singleElement(as(STRING))
                .startsWith(other + ":2: store.url: \"jdbc:mysql://…@db/switchboard\": unsupported database")
                .doesNotContain("hunter2");
        assertThat(formatted(noDatabase))
                .singleElement(as(STRING))
                .startsWith(noDatabase + ":2: store.url: \"jdbc:postgresql://127.0.0.1:5432?…\": no / after the host")
                .doesNotContain("hunter2");
    }

    @Test
    void aPostgresqlStoreUrlWithCredentialsOfItsOwnLoads() throws Exception {
        Path file = write(
                "switchboard.toml",
                """
                [store]
                url = "jdbc:postgresql://db.internal:5432/switchboard"
                user = "switchboard"
                password = { env = "SWITCHBOARD_STORE_PASSWORD" }
                """);

        GatewayConfig config = loader.load(file);

        assertThat(config.store().url()).isEqualTo("jdbc:postgresql://db.internal:5432/switchboard");
        assertThat(config.store().user()).contains("switchboard");
        assertThat(config.store().password()).isPresent();
    }

    private ConfigException fail(Path file) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(file));
        assertThat(e).as("expected %s to be refused", file).isNotNull();
        return e;
    }

    private List<String> formatted(Path file) {
        return fail(file).problems().stream().map(ConfigProblem::format).toList();
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
