package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.feishu.BotMessage;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.feishu.FeishuChat;
import dev.switchboard.testkit.feishu.FeishuUser;
import dev.switchboard.testkit.openai.FakeOpenAiServer;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgUser;
import dev.switchboard.testkit.wecom.BotReply;
import dev.switchboard.testkit.wecom.FakeWeCom;
import dev.switchboard.testkit.wecom.FakeWeComBot;
import dev.switchboard.testkit.wecom.WeComChat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout playbook, verbatim, as a new operator runs it with the launcher jar ({@code java -jar
 * switchboard.jar}): SPEC §2.2's config (Telegram, Feishu/Lark and WeCom
 * accounts, the OpenAI-compatible agent) in {@code ~/.switchboard/switchboard.toml} with only its commented
 * platform URLs pointed at the fakes and the agent's {@code base_url} at the fake provider; {@code config validate};
 * {@code multi-channel-serve} in the foreground showing the three accounts' transitions; then {@code gateway run}
 * with the same selectors, {@code gateway status --json} from another shell, a message on each platform answered
 * on that platform, and {@code gateway stop}.
 */
class RolloutPlaybookLauncherIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String[] SELECTORS = {
        "--channel-account",
        "lark=work",
        "--channel-account",
        "telegram=bot_123456",
        "--channel-account",
        "wecom=alerts"
    };
    private static final List<String> ACCOUNTS = List.of("feishu.work", "telegram.bot_123456", "wecom.alerts");

    @TempDir
    Path home;

    @Test
    void theThreeChannelRolloutRunsAsWrittenAndAnswersOnEachPlatform() throws Exception {
        try (FakeTelegram telegram = FakeTelegram.start();
                FakeFeishu feishu = FakeFeishu.start();
                FakeWeCom wecom = FakeWeCom.start();
                FakeOpenAiServer provider = FakeOpenAiServer.start()) {
            FakeBot tgBot = telegram.addBot(FakeTelegram.newToken(123456), "playbook_bot");
            TgUser operator = tgBot.user(123456789, "Ops");
            TgChat tgChat = tgBot.privateChat(operator);
            FakeFeishuApp larkApp = feishu.addApp(FakeFeishu.newAppId(), "PlaybookLarkSecret0123456789", "Ops Bot");
            FeishuChat opsRoom = larkApp.groupChat("oc_ops_room", "Ops");
            FeishuUser alice = larkApp.user("Alice");
            FakeWeComBot wecomBot = wecom.addBot("aib_playbook_alerts", "PlaybookWeComSecret0123456789");
            WeComChat alerts = WeComChat.group("group_alerts");
            String apiKey = "ark-playbook-key";
            provider.requireApiKey(apiKey).replyWith(request -> "agent: " + request.lastUserText());

            Path config = home.resolve(".switchboard").resolve("switchboard.toml");
            Files.createDirectories(config.getParent());
            Files.writeString(config, playbookConfig(telegram, feishu, wecom, provider));
            Map<String, String> env = new HashMap<>();
            env.put("SWITCHBOARD_GATEWAY_TOKEN", "playbook-gateway-token");
            env.put("ARK_API_KEY", apiKey);
            env.put("TELEGRAM_BOT_TOKEN", tgBot.token());
            env.put("LARK_WORK_APP_ID", larkApp.appId());
            env.put("LARK_WORK_APP_SECRET", larkApp.appSecret());
            env.put("WECOM_ALERTS_BOT_ID", wecomBot.botId());
            env.put("WECOM_ALERTS_SECRET", wecomBot.secret());
            LocalCli shell = new LocalCli(home, Map.copyOf(env));
            env.put("SWITCHBOARD_GATEWAY_PORT", "0"); // the playbook's 18789 may be taken on a shared machine
            String[] secrets = {tgBot.token(), larkApp.appSecret(), wecomBot.secret(), apiKey, "playbook-gateway-token"
            };

            LocalCli.Run validate = shell.run("config", "validate");
            assertThat(validate.code()).as(validate.err()).isZero();
            assertThat(validate.out()).isEqualTo("ok: " + config + " (3 channel sections, 3 accounts)\n");

            try (GatewayProcess supervisor = launch(env, "multi-channel-serve", "--session", "cli-supervisor")) {
                for (String account : ACCOUNTS) {
                    supervisor.awaitStdout(Pattern.compile("channel " + Pattern.quote(account) + ": connected"));
                    assertThat(supervisor.stdout()).contains("channel " + account + ": starting");
                }
                assertThat(shell.run("gateway", "stop").out()).isEqualTo("stopped\n");
                assertThat(supervisor.awaitExit()).isZero();
                assertThat(supervisor.stdout() + supervisor.stderr()).doesNotContain(secrets);
            }

            try (GatewayProcess gateway = launch(env, "gateway", "run", "--session", "daemon-gateway")) {
                gateway.awaitRunning();
                for (String account : ACCOUNTS) {
                    gateway.awaitStderr(Pattern.compile("channel " + Pattern.quote(account) + ": connected"));
                }

                LocalCli.Run status = shell.run("gateway", "status", "--json");
                assertThat(status.code()).as(status.err()).isZero();
                JsonNode running = JSON.readTree(status.out());
                assertThat(running.path("state").asText()).isEqualTo("running");
                assertThat(running.path("session").asText()).isEqualTo("daemon-gateway");
                assertThat(accountStates(running))
                        .as("gateway status --json: %s", status.out())
                        .isEqualTo(Map.of(
                                "feishu.work", "connected",
                                "telegram.bot_123456", "connected",
                                "wecom.alerts", "connected"));

                tgBot.userSays(tgChat, operator, "disk full on db-1?");
                larkApp.userMentionsBot(opsRoom, alice, "deploy 42 is out");
                wecomBot.userSays(alerts, "zhangsan", "cpu at 95%");

                assertThat(tgBot.awaitSent(1, WAIT))
                        .extracting(SentMessage::text)
                        .containsExactly("agent: disk full on db-1?");
                assertThat(larkApp.awaitSent(1, WAIT))
                        .extracting(BotMessage::text)
                        .containsExactly("agent: deploy 42 is out");
                List<BotReply> wecomReplies = wecomBot.awaitReplies(alerts.conversationId(), 1, WAIT);
                assertThat(wecomReplies).extracting(BotReply::kind).containsExactly(BotReply.Kind.STREAM);
                assertThat(wecomReplies).extracting(BotReply::content).containsExactly("agent: cpu at 95%");

                LocalCli.Run stop = shell.run("gateway", "stop");
                assertThat(stop.code()).as(stop.err()).isZero();
                assertThat(stop.out()).isEqualTo("stopped\n");
                assertThat(gateway.awaitExit()).isZero();
                JsonNode stopped =
                        JSON.readTree(shell.run("gateway", "status", "--json").out());
                assertThat(stopped.path("state").asText()).isEqualTo("stopped");
                assertThat(gateway.stdout() + gateway.stderr()).doesNotContain(secrets);
            }
        }
    }

    /** SPEC §2.2 as shipped in the test resources, its commented platform URLs set to the fakes. */
    private static String playbookConfig(
            FakeTelegram telegram, FakeFeishu feishu, FakeWeCom wecom, FakeOpenAiServer provider) throws IOException {
        String spec;
        try (InputStream in = RolloutPlaybookLauncherIT.class.getResourceAsStream("/playbook/switchboard.toml")) {
            assertThat(in).as("the playbook config in the test resources").isNotNull();
            spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return replaceOnce(
                replaceOnce(
                        replaceOnce(
                                replaceOnce(
                                        spec,
                                        "base_url = \"https://ark.example/api/v3\"",
                                        "base_url = \"" + provider.baseUrl() + "\""),
                                "# api_base_url = \"http://127.0.0.1:8081\"",
                                "api_base_url = \"" + telegram.apiBaseUrl() + "\" #"),
                        "# base_url = \"http://127.0.0.1:8082\"",
                        "base_url = \"" + feishu.baseUrl() + "\""),
                "# ws_url = \"ws://127.0.0.1:8083\"",
                "ws_url = \"" + wecom.wsUrl() + "\"");
    }

    private static String replaceOnce(String text, String line, String replacement) {
        assertThat(text).as("the playbook config").containsOnlyOnce(line);
        return text.replace(line, replacement);
    }

    private static Map<String, String> accountStates(JsonNode status) {
        Map<String, String> states = new TreeMap<>();
        for (JsonNode channel : status.path("channels")) {
            states.put(
                    channel.path("channel").asText() + "."
                            + channel.path("account").asText(),
                    channel.path("state").asText());
        }
        return states;
    }

    private GatewayProcess launch(Map<String, String> env, String... command) throws IOException {
        String[] args = new String[command.length + SELECTORS.length];
        System.arraycopy(command, 0, args, 0, command.length);
        System.arraycopy(SELECTORS, 0, args, command.length, SELECTORS.length);
        Path launcher = Path.of(System.getProperty(PluginLauncherIT.JAR_PROPERTY));
        assertThat(launcher).as("the launcher jar (run 'package' first)").isRegularFile();
        return GatewayProcess.startJar(home, home.resolve("process-logs"), Map.copyOf(env), launcher, List.of(), args);
    }
}
