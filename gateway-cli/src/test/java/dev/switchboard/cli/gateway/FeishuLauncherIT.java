package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.feishu.BotMessage;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.feishu.FeishuChat;
import dev.switchboard.testkit.feishu.FeishuUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Feishu channel through the launcher, as a new user runs it: SPEC §2.2's {@code [feishu]} section with its
 * secrets in the environment and {@code base_url} at the fake, selected by its alias ({@code --channel-account
 * lark=work}), answering a message the fake pushes; {@code channels status --probe} shows it connected.
 */
class FeishuLauncherIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void theAliasSelectsTheAccountAndAPushedMessageIsAnswered() throws Exception {
        try (FakeFeishu feishu = FakeFeishu.start()) {
            FakeFeishuApp app = feishu.addApp(FakeFeishu.newAppId(), "LauncherSecret0123456789", "Switchboard Bot");
            FeishuUser alice = app.user("Alice");
            FeishuChat room = app.groupChat("oc_ops_room", "Ops");
            Path state = home.resolve(".switchboard-dev");
            Files.createDirectories(state);
            Files.writeString(
                    state.resolve("switchboard.toml"),
                    """
                    [agent]
                    provider = "echo"

                    [feishu]
                    enabled = true
                    mode = "websocket"
                    default_account = "work"
                    [feishu.accounts.work]
                    domain = "lark"
                    app_id = { env = "LARK_WORK_APP_ID" }
                    app_secret = { env = "LARK_WORK_APP_SECRET" }
                    allowed_chat_ids = ["oc_ops_room"]
                    base_url = "%s"
                    """
                            .formatted(feishu.baseUrl()));
            Map<String, String> env = Map.of("LARK_WORK_APP_ID", app.appId(), "LARK_WORK_APP_SECRET", app.appSecret());

            try (GatewayProcess gateway = GatewayProcess.start(
                    home,
                    home.resolve("logs"),
                    env,
                    "gateway",
                    "run",
                    "--dev",
                    "--port",
                    "0",
                    "--channel-account",
                    "lark=work")) {
                gateway.awaitRunning();
                gateway.awaitStderr(Pattern.compile("channel feishu\\.work: connected"));

                app.userMentionsBot(room, alice, "hello through the launcher");

                assertThat(app.awaitSent(1, WAIT))
                        .extracting(BotMessage::text)
                        .containsExactly("hello through the launcher");
                LocalCli.Run status = new LocalCli(home).run("--dev", "channels", "status", "--probe", "--json");
                assertThat(status.code()).as(status.err()).isZero();
                JsonNode account = null;
                for (JsonNode entry : JSON.readTree(status.out()).path("channels")) {
                    if (entry.path("channel").asText().equals("feishu")) {
                        account = entry;
                    }
                }
                assertThat(account).as(status.out()).isNotNull();
                assertThat(account.path("account").asText()).isEqualTo("work");
                assertThat(account.path("state").asText()).isEqualTo("connected");
                assertThat(status.out()).contains(app.botOpenId()).doesNotContain(app.appSecret());
                assertThat(gateway.stdout() + gateway.stderr()).doesNotContain(app.appSecret());
            }
        }
    }
}
