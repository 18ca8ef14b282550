package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Secret;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader(TestChannels.registry());

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void carriesTheChecksumOfTheBytesItRead() throws Exception {
        Path toml = Files.writeString(dir.resolve("a.toml"), "[gateway]\nport = 18789\n");
        Path hocon = Files.writeString(dir.resolve("b.conf"), "gateway { port = 18789 }\n");

        // CRC-32 as `crc32 FILE` prints it, from the bytes the loader parsed
        assertThat(loader.load(toml).sourceChecksum()).contains(crc32(Files.readAllBytes(toml)));
        assertThat(loader.load(hocon).sourceChecksum()).contains(crc32(Files.readAllBytes(hocon)));
        assertThat(loader.check(toml).config().orElseThrow().sourceChecksum())
                .contains(crc32(Files.readAllBytes(toml)));
        assertThat(loader.parse("gateway.port = 1\n", "x.conf").sourceChecksum())
                .contains(crc32("gateway.port = 1\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(loader.defaults().sourceChecksum()).isEmpty();
        assertThat(ConfigChecksum.of(new byte[] {'a'})).isEqualTo("e8b7be43");
        assertThat(ConfigChecksum.of(new byte[0])).isEqualTo("00000000");
    }

    private static String crc32(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }

    @Test
    void loadsTheSpecExampleVerbatim() {
        GatewayConfig config = loader.load(resource("rollout.toml"));

        assertThat(config.source()).contains(resource("rollout.toml"));
        GatewayConfig.Gateway gateway = config.gateway();
        assertThat(gateway.mode()).isEqualTo(GatewayConfig.Mode.LOCAL);
        assertThat(gateway.port()).isEqualTo(OptionalInt.of(18789));
        assertThat(gateway.bind()).contains("loopback");
        assertThat(gateway.auth().mode()).isEqualTo(GatewayConfig.AuthMode.TOKEN);
        assertThat(gateway.auth().token()).contains(new SecretRef.Env("SWITCHBOARD_GATEWAY_TOKEN"));
        assertThat(gateway.auth().password()).isEmpty();
        assertThat(gateway.reload()).isEqualTo(GatewayConfig.ReloadMode.HYBRID);
        assertThat(gateway.remote().url()).contains("ws://127.0.0.1:18789");
        assertThat(gateway.remote().token()).contains(new SecretRef.Env("SWITCHBOARD_GATEWAY_TOKEN"));

        assertThat(config.agent().provider()).isEqualTo("openai");
        assertThat(config.agent().historyLimit()).isEqualTo(50);
        assertThat(config.agent().openai().baseUrl()).isEqualTo("https://ark.example/api/v3");
        assertThat(config.agent().openai().apiKey()).contains(new SecretRef.Env("ARK_API_KEY"));
        assertThat(config.agent().openai().model()).isEqualTo("doubao-seed-1-6");
        assertThat(config.agent().openai().systemPrompt()).isEqualTo("You are a helpful assistant.");

        assertThat(config.store().url()).isEqualTo("jdbc:sqlite:${state}/switchboard.db");
        assertThat(config.store().url(Path.of("/var/lib/sb"))).isEqualTo("jdbc:sqlite:/var/lib/sb/switchboard.db");

        assertThat(config.channels()).containsOnlyKeys("telegram", "feishu", "wecom");
        assertThat(List.copyOf(config.channels().keySet())).containsExactly("telegram", "feishu", "wecom");

        ChannelSection telegram = config.channel("telegram").orElseThrow();
        assertThat(telegram.enabled()).isTrue();
        assertThat(telegram.defaultAccount()).contains("bot_123456");
        AccountConfig bot = telegram.accounts().get("bot_123456");
        assertThat(bot.secrets()).isEqualTo(Map.of("bot_token", new SecretRef.Env("TELEGRAM_BOT_TOKEN")));
        assertThat(bot.values().getList("allowed_chat_ids").unwrapped()).containsExactly(123456789);
        assertThat(bot.values().hasPath("bot_token")).isFalse();
        assertThat(bot.origin()).isEqualTo(resource("rollout.toml") + ":28");

        ChannelSection feishu = config.channel("feishu").orElseThrow();
        assertThat(feishu.defaultAccount()).contains("work");
        AccountConfig work = feishu.accounts().get("work");
        assertThat(work.values().getString("mode")).isEqualTo("websocket"); // inherited from the section
        assertThat(work.values().getString("domain")).isEqualTo("lark");
        assertThat(work.values().getStringList("allowed_chat_ids")).containsExactly("oc_ops_room");
        assertThat(work.secrets())
                .isEqualTo(Map.of(
                        "app_id", new SecretRef.Env("LARK_WORK_APP_ID"),
                        "app_secret", new SecretRef.Env("LARK_WORK_APP_SECRET")));

        AccountConfig alerts = config.channel("wecom").orElseThrow().accounts().get("alerts");
        assertThat(alerts.values().getStringList("allowed_conversation_ids")).containsExactly("group_alerts");
        assertThat(alerts.secrets()).containsOnlyKeys("bot_id", "secret");
    }

    @Test
    void specExampleResolvesIntoASnapshot() {
        GatewayConfig config = loader.load(resource("rollout.toml"));
        Map<String, String> env = Map.of(
                "SWITCHBOARD_GATEWAY_TOKEN", "gw-token",
                "ARK_API_KEY", "ark-key",
                "TELEGRAM_BOT_TOKEN", "123456:tg",
                "LARK_WORK_APP_ID", "cli_work",
                "LARK_WORK_APP_SECRET", "lark-secret",
                "WECOM_ALERTS_BOT_ID", "wecom-bot",
                "WECOM_ALERTS_SECRET", "wecom-secret");

        SecretSnapshot snapshot = SecretSnapshot.resolve(config, new SecretResolver(env, Duration.ofSeconds(5)));

        assertThat(snapshot.failures()).isEmpty();
        assertThat(snapshot.gateway("gateway.auth.token").map(Secret::reveal)).contains("gw-token");
        assertThat(snapshot.gateway("gateway.remote.token").map(Secret::reveal)).contains("gw-token");
        assertThat(snapshot.gateway("agent.openai.api_key").map(Secret::reveal)).contains("ark-key");
        assertThat(snapshot.gateway("gateway.auth.password")).isEmpty();
        assertThat(snapshot.account("telegram", "bot_123456").get("bot_token").reveal())
                .isEqualTo("123456:tg");
        AccountSettings work = snapshot.settings(
                config.channel("feishu").orElseThrow().accounts().get("work"));
        assertThat(work.requiredSecret("app_id").reveal()).isEqualTo("cli_work");
        assertThat(work.requiredSecret("app_secret").reveal()).isEqualTo("lark-secret");
        assertThat(work.string("mode")).contains("websocket");
        assertThat(work.strings("allowed_chat_ids")).containsExactly("oc_ops_room");
        assertThat(snapshot.account("wecom", "alerts").get("secret").reveal()).isEqualTo("wecom-secret");
        assertThat(snapshot.accountFailure("wecom", "alerts")).isEmpty();
    }

    @Test
    void hoconJsonAndTomlLoadToTheSameConfig() {
        GatewayConfig toml = comparable(loader.load(resource("rollout.toml")));
        GatewayConfig hocon = comparable(loader.load(resource("rollout.conf")));
        GatewayConfig json = comparable(loader.load(resource("rollout.json")));

        assertThat(hocon).isEqualTo(toml);
        assertThat(json).isEqualTo(toml);
    }

    @Test
    void parseFromTextPicksTheFormatFromTheName() throws Exception {
        String text = Files.readString(resource("rollout.conf"));

        GatewayConfig parsed = loader.parse(text, "/etc/sb/switchboard.conf");

        assertThat(parsed.source()).contains(Path.of("/etc/sb/switchboard.conf"));
        assertThat(comparable(parsed)).isEqualTo(comparable(loader.load(resource("rollout.toml"))));
    }

    @Test
    void defaultsComeFromTheKeyList() {
        GatewayConfig defaults = loader.defaults();

        assertThat(defaults.source()).isEmpty();
        assertThat(defaults.channels()).isEmpty();
        assertThat(defaults.gateway().mode()).isEqualTo(GatewayConfig.Mode.LOCAL);
        assertThat(defaults.gateway().port()).isEmpty();
        assertThat(defaults.gateway().bind()).isEmpty();
        assertThat(defaults.gateway().auth().mode()).isEqualTo(GatewayConfig.AuthMode.TOKEN);
        assertThat(defaults.gateway().auth().token()).isEmpty();
        assertThat(defaults.gateway().reload()).isEqualTo(GatewayConfig.ReloadMode.HYBRID);
        assertThat(defaults.agent().provider()).isEqualTo("echo");
        assertThat(defaults.agent().historyLimit()).isEqualTo(50);
        assertThat(defaults.agent().openai().baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(defaults.agent().openai().model()).isEqualTo("gpt-4o-mini");
        assertThat(defaults.agent().openai().systemPrompt()).isEqualTo("You are a helpful assistant.");
        assertThat(defaults.store().url()).isEqualTo("jdbc:sqlite:${state}/switchboard.db");
    }

    @Test
    void anEmptyFileIsTheDefaults() throws Exception {
        for (String name : List.of("empty.toml", "empty.conf", "empty.json")) {
            Path file = dir.resolve(name);
            Files.writeString(file, name.endsWith(".json") ? "{}" : "");
            assertThat(comparable(loader.load(file))).isEqualTo(loader.defaults());
        }
    }

    @Test
    void sectionDefaultsMergeIntoAccountsKeyByKeyAndListsReplace() throws Exception {
        Path file = write(
                "merge.toml",
                """
                [telegram]
                allowed_chat_ids = [1, 2]
                require_mention = true
                api_base_url = "http://127.0.0.1:8081"
                bot_token = { env = "SHARED" }

                [telegram.accounts.a]
                allowed_chat_ids = [3]

                [telegram.accounts.b]
                require_mention = false
                bot_token = { file = "/run/secrets/b" }
                """);

        ChannelSection telegram = loader.load(file).channel("telegram").orElseThrow();

        AccountConfig a = telegram.accounts().get("a");
        assertThat(a.values().getList("allowed_chat_ids").unwrapped()).containsExactly(3);
        assertThat(a.values().getBoolean("require_mention")).isTrue();
        assertThat(a.values().getString("api_base_url")).isEqualTo("http://127.0.0.1:8081");
        assertThat(a.secrets()).isEqualTo(Map.of("bot_token", new SecretRef.Env("SHARED")));
        AccountConfig b = telegram.accounts().get("b");
        assertThat(b.values().getList("allowed_chat_ids").unwrapped()).containsExactly(1, 2);
        assertThat(b.values().getBoolean("require_mention")).isFalse();
        assertThat(b.secrets()).isEqualTo(Map.of("bot_token", new SecretRef.File(Path.of("/run/secrets/b"))));
        assertThat(List.copyOf(telegram.accounts().keySet())).containsExactly("a", "b");
    }

    @Test
    void aSectionWithoutAccountsIsOneAccountNamedDefault() throws Exception {
        Path file = write(
                "single.toml",
                """
                [wecom]
                bot_id = "bot"
                secret = { env = "WECOM_SECRET" }
                allowed_conversation_ids = ["*"]
                """);

        ChannelSection wecom = loader.load(file).channel("wecom").orElseThrow();

        assertThat(wecom.accounts()).containsOnlyKeys("default");
        AccountConfig account = wecom.accounts().get("default");
        assertThat(account.secrets())
                .isEqualTo(Map.of("bot_id", new SecretRef.Literal("bot"), "secret", new SecretRef.Env("WECOM_SECRET")));
        assertThat(account.values().getStringList("allowed_conversation_ids")).containsExactly("*");
        assertThat(account.origin()).isEqualTo(file + ":1");
        assertThat(wecom.defaultAccount()).isEmpty();
    }

    @Test
    void tomlValuesReachTheBinderWithTheirTypes() throws Exception {
        Path file = write(
                "types.toml",
                """
                [gateway]
                port = 18790
                max_payload_bytes = 99999999999999999999
                tick_interval_ms = 1.5
                control_ui = { enabled = false, allowed_origins = ["https://ops.example.com"] }

                [agent.heartbeat]
                quiet_hours = { start = 22:00:00, end = "07:00" }
                """);

        ConfigCheck check = loader.check(file);

        assertThat(check.problems())
                .extracting(ConfigProblem::line, ConfigProblem::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3, "gateway.max_payload_bytes"),
                        org.assertj.core.groups.Tuple.tuple(4, "gateway.tick_interval_ms"),
                        org.assertj.core.groups.Tuple.tuple(8, "agent.heartbeat.quiet_hours.start"));
        GatewayConfig config = check.config().orElseThrow();
        assertThat(config.gateway().port()).hasValue(18790);
        assertThat(config.gateway().controlUi().enabled()).isFalse();
        assertThat(config.gateway().controlUi().allowedOrigins()).containsExactly("https://ops.example.com");
    }

    @Test
    void aTomlSyntaxErrorNamesItsLine() throws Exception {
        Path file = write("broken.toml", "[gateway]\nport = 18790\nbind = \n");

        ConfigCheck check = loader.check(file);

        assertThat(check.config()).isEmpty();
        assertThat(check.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(3);
            assertThat(problem.message()).startsWith("syntax error: ");
        });
    }

    @Test
    void aSectionWithOnlyEnabledHasNoAccounts() throws Exception {
        Path file = write("off.toml", "[telegram]\nenabled = false\n");

        ChannelSection telegram = loader.load(file).channel("telegram").orElseThrow();

        assertThat(telegram.enabled()).isFalse();
        assertThat(telegram.accounts()).isEmpty();
    }

    @Test
    void secretSourcesParse() throws Exception {
        Path file = write(
                "secrets.toml",
                """
                [gateway.auth]
                mode = "password"
                password = "literal-pw"
                token = { exec = ["/usr/bin/pass", "show", "sb/token"] }
                [agent.openai]
                api_key = { file = "/run/secrets/openai" }
                """);

        GatewayConfig config = loader.load(file);

        assertThat(config.gateway().auth().mode()).isEqualTo(GatewayConfig.AuthMode.PASSWORD);
        assertThat(config.gateway().auth().password()).contains(new SecretRef.Literal("literal-pw"));
        assertThat(config.gateway().auth().token())
                .contains(new SecretRef.Exec(List.of("/usr/bin/pass", "show", "sb/token")));
        assertThat(config.agent().openai().apiKey()).contains(new SecretRef.File(Path.of("/run/secrets/openai")));
    }

    @Test
    void explicitAuthNoneAndIpBindsAreAccepted() throws Exception {
        for (String bind : List.of("lan", "0.0.0.0", "192.168.1.20", "::", "::1", "fe80::1:2", "::ffff:10.0.0.1")) {
            Path file = write("bind.toml", "[gateway]\nbind = \"" + bind + "\"\nauth.mode = \"none\"\n");
            GatewayConfig config = loader.load(file);
            assertThat(config.gateway().bind()).contains(bind);
            assertThat(config.gateway().auth().mode()).isEqualTo(GatewayConfig.AuthMode.NONE);
        }
    }

    @Test
    void hoconSubstitutionsNeverReachTheEnvironment() throws Exception {
        Path unquoted = write("subst.conf", "agent {\n  openai.model = ${HOME}\n}\n");

        assertThatThrownBy(() -> loader.load(unquoted))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(unquoted + ":2: ")
                .hasMessageContaining("HOME");

        Path withinFile = write("subst2.conf", "base = \"http://127.0.0.1:1\"\nagent.openai.base_url = ${base}\n");
        assertThatThrownBy(() -> loader.load(withinFile)).hasMessageContaining("base: unknown section");
    }

    @Test
    void unknownExtensionIsRefused() throws Exception {
        Path file = write("switchboard.yaml", "gateway:\n  port: 1\n");

        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("switchboard.yaml: unknown configuration format")
                .hasMessageContaining(".conf, .toml, .json");
    }

    @Test
    void missingFileIsAProblem() {
        Path file = dir.resolve("nope.toml");

        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ": file does not exist");
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.conf"))).hasMessageContaining("file does not exist");
    }

    @Test
    void aTomlFileThatCannotBeReadAsUtf8OrIsADirectoryIsAProblem() throws Exception {
        Path latin1 = dir.resolve("latin1.toml");
        Files.write(latin1, "[gateway]\nbind = \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));
        Path directory = Files.createDirectory(dir.resolve("dir.toml"));

        assertThatThrownBy(() -> loader.load(latin1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(latin1 + ": cannot read the file (MalformedInputException)");
        assertThatThrownBy(() -> loader.load(directory))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(directory + ": not a regular file");
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** Without what differs by file: the source path and each account's origin. */
    static GatewayConfig comparable(GatewayConfig config) {
        Map<String, ChannelSection> channels = new LinkedHashMap<>();
        config.channels().forEach((id, section) -> {
            Map<String, AccountConfig> accounts = new LinkedHashMap<>();
            section.accounts()
                    .forEach((accountId, account) -> accounts.put(
                            accountId,
                            new AccountConfig(
                                    account.channelId(),
                                    account.accountId(),
                                    account.values(),
                                    account.secrets(),
                                    "")));
            channels.put(id, new ChannelSection(id, section.enabled(), section.defaultAccount(), accounts));
        });
        return new GatewayConfig(
                Optional.empty(), Optional.empty(), config.gateway(), config.agent(), config.store(), channels);
    }
}
