package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.feishu.Api;
import dev.switchboard.testkit.feishu.BotMessage;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.feishu.FeishuChat;
import dev.switchboard.testkit.feishu.FeishuUser;
import dev.switchboard.testkit.feishu.FragmentOrder;
import dev.switchboard.testkit.feishu.UserMessage;
import dev.switchboard.testkit.feishu.WebhookResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Feishu channel through the launcher ({@code gateway run --dev} in a JVM of its own) with the echo agent, as a
 * new user runs it: SPEC §2.2's {@code [feishu]} section with its secrets in the environment and {@code base_url} at
 * the fake, selected by its alias ({@code --channel-account lark=work}). Issue 11's end-to-end cases, asserted on what
 * a user sees (the replies the fake received, one per message) and an operator sees ({@code channels status}); the
 * SIGKILL case is {@link FeishuCrashLauncherIT}.
 */
class FeishuLauncherIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ROOM = "oc_ops_room";
    private static final String ACCOUNT = "work";
    private static final Pattern CONNECTED = Pattern.compile("channel feishu\\.work: connected");
    private static final String VERIFICATION_TOKEN = "launcher-verification-token-5c1e";
    private static final String ENCRYPT_KEY = "launcher-encrypt-key-a7d20f";

    @TempDir
    Path home;

    private FakeFeishu feishu;
    private FakeFeishuApp app;
    private FeishuUser alice;
    private FeishuChat room;
    private LocalCli cli;

    @BeforeEach
    void startFake() {
        feishu = FakeFeishu.start();
        app = feishu.addApp(FakeFeishu.newAppId(), "LauncherSecret0123456789", "Switchboard Bot");
        alice = app.user("Alice");
        room = app.groupChat(ROOM, "Ops");
        cli = new LocalCli(home);
    }

    @AfterEach
    void stopFake() {
        feishu.close();
    }

    @Test
    void theAliasSelectsTheAccountAndAPushedMessageIsAnswered() throws Exception {
        try (GatewayProcess gateway = startGateway("websocket", "", Map.of())) {
            app.userMentionsBot(room, alice, "hello through the launcher");

            assertThat(app.awaitSent(1, WAIT))
                    .extracting(BotMessage::text)
                    .containsExactly("hello through the launcher");
            JsonNode account = ChannelsStatusJson.account(cli, "feishu", ACCOUNT, "--probe");
            assertThat(account.path("state").asText()).isEqualTo("connected");
            assertThat(account.toString()).contains(app.botOpenId()).doesNotContain(app.appSecret());
            assertThat(gateway.stdout() + gateway.stderr()).doesNotContain(app.appSecret());
        }
    }

    /**
     * One gateway on the long connection through three faults in turn, each followed by a sentinel: replies in a
     * chat keep their order, so once the sentinel's reply is there, every reply the fault could cause has been sent.
     */
    @Test
    void theLongConnectionsFaultsCostNoMessageAndAnswerNoneTwice() throws Exception {
        try (GatewayProcess gateway = startGateway("websocket", "", Map.of())) {
            // a fragmented event: three parts, last part first
            app.fragmentEvents(3, FragmentOrder.REVERSED);
            UserMessage fragmented = app.userMentionsBot(room, alice, "a question in three parts");
            app.fragmentEvents(1, FragmentOrder.IN_ORDER);
            answered("sentinel after the fragments");
            assertThat(app.awaitAck(fragmented, WAIT).code()).isEqualTo(200);
            assertAnsweredOnce(fragmented, "a question in three parts");
            assertThat(app.repushes())
                    .as("re-pushes of an event acknowledged in time")
                    .isZero();

            // an acknowledgement that reaches the platform after it has pushed the event again
            app.awaitCondition("every event acknowledged", () -> app.unacknowledged() == 0, WAIT);
            app.ackTimeout(Duration.ofMillis(500)).delayAcks(1, Duration.ofSeconds(2));
            UserMessage repushed = app.userMentionsBot(room, alice, "pushed twice, answer once");
            app.awaitRepushes(1, WAIT);
            app.awaitAck(repushed, WAIT); // the re-push's own acknowledgement: the gateway had it
            app.ackTimeout(Duration.ofSeconds(3)); // the platform's again
            answered("sentinel after the re-push");
            assertAnsweredOnce(repushed, "pushed twice, answer once");

            // the TCP connection cut without a close frame
            int endpointCalls = app.callCount(Api.ENDPOINT);
            assertThat(app.severConnections()).isEqualTo(1);
            gateway.awaitStderr(Pattern.compile("(?s)channel feishu\\.work: reconnecting.*" + CONNECTED.pattern()));
            UserMessage afterSever = app.userMentionsBot(room, alice, "still there after the cut?");
            answered("sentinel after the cut");
            assertAnsweredOnce(afterSever, "still there after the cut?");
            assertThat(app.callCount(Api.ENDPOINT))
                    .as("a fresh endpoint for the reconnect")
                    .isGreaterThan(endpointCalls);
            assertThat(app.openConnections()).isEqualTo(1);
            assertThat(ChannelsStatusJson.account(cli, "feishu", ACCOUNT)
                            .path("state")
                            .asText())
                    .isEqualTo("connected");
        }
    }

    /**
     * Webhook mode: the fake posts encrypted, signed events to the route on the gateway's port; a request whose
     * signature was tampered with is refused, counted and never answered, though it carries a message the platform
     * knows (a reply to it would be accepted and seen).
     */
    @Test
    void inWebhookModeATamperedSignatureIsRefusedCountedAndNeverAnswered() throws Exception {
        app.verificationToken(VERIFICATION_TOKEN).encryptKey(Optional.of(ENCRYPT_KEY));
        try (GatewayProcess gateway = startGateway(
                "webhook",
                """
                verification_token = { env = "LARK_WORK_VERIFICATION_TOKEN" }
                encrypt_key = { env = "LARK_WORK_ENCRYPT_KEY" }
                """,
                Map.of("LARK_WORK_VERIFICATION_TOKEN", VERIFICATION_TOKEN, "LARK_WORK_ENCRYPT_KEY", ENCRYPT_KEY))) {
            URI route = URI.create("http://127.0.0.1:" + gateway.awaitRunning() + "/webhooks/feishu/" + ACCOUNT);
            // a message the fake knows but holds back (it has no long connection to push it on), for the forger
            UserMessage held = app.userMentionsBot(room, alice, "forged into the webhook");
            app.deliverByWebhook(route);
            answered("genuine before the forgery");

            WebhookResponse refused =
                    app.webhookSender(route).withTamperedSignature().deliver(held);

            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.body()).contains("X-Lark-Signature does not match");
            answered("sentinel after the forgery");
            assertThat(texts()).containsExactly("genuine before the forgery", "sentinel after the forgery");
            JsonNode account = ChannelsStatusJson.account(cli, "feishu", ACCOUNT);
            assertThat(account.path("dropped").asLong()).as(account.toString()).isEqualTo(1);
            assertThat(account.path("inbound").asLong()).as(account.toString()).isEqualTo(2);
            String everything = gateway.stdout() + gateway.stderr() + logFiles();
            assertThat(gateway.stderr().lines().filter(line -> line.contains("refused (401)")))
                    .as("the refusal, logged once on the terminal with the check that failed")
                    .singleElement()
                    .satisfies(line -> assertThat(line).contains("X-Lark-Signature does not match"));
            assertThat(everything)
                    .doesNotContain(app.appSecret())
                    .doesNotContain(VERIFICATION_TOKEN)
                    .doesNotContain(ENCRYPT_KEY);
        }
    }

    /** Every file the gateway wrote under its logs directory, concatenated. */
    private String logFiles() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(home.resolve(".switchboard-dev").resolve("logs"))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }

    /**
     * {@code gateway run --dev --port 0 --channel-account lark=work} with the {@code [feishu]} section in {@code
     * mode}, {@code accountKeys} added to the account, the app's credentials and {@code secrets} in the environment;
     * returns once the account is connected.
     */
    private GatewayProcess startGateway(String mode, String accountKeys, Map<String, String> secrets)
            throws IOException, InterruptedException {
        Path state = home.resolve(".switchboard-dev");
        Files.createDirectories(state);
        Files.writeString(
                state.resolve("switchboard.toml"),
                """
                [agent]
                provider = "echo"

                [feishu]
                enabled = true
                mode = "%s"
                default_account = "work"
                [feishu.accounts.work]
                domain = "lark"
                app_id = { env = "LARK_WORK_APP_ID" }
                app_secret = { env = "LARK_WORK_APP_SECRET" }
                %sallowed_chat_ids = ["%s"]
                base_url = "%s"
                """
                        .formatted(mode, accountKeys, ROOM, feishu.baseUrl()));
        Map<String, String> env = new HashMap<>(secrets);
        env.put("LARK_WORK_APP_ID", app.appId());
        env.put("LARK_WORK_APP_SECRET", app.appSecret());
        GatewayProcess gateway = GatewayProcess.start(
                home,
                home.resolve("logs"),
                env,
                "gateway",
                "run",
                "--dev",
                "--port",
                "0",
                "--channel-account",
                "lark=" + ACCOUNT);
        try {
            gateway.awaitRunning();
            gateway.awaitStderr(CONNECTED);
            return gateway;
        } catch (IOException | InterruptedException | RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    /** Alice mentions the bot with {@code text} in the room and the test waits for its reply. */
    private void answered(String text) {
        UserMessage message = app.userMentionsBot(room, alice, text);
        app.awaitCondition(
                "the reply to \"" + text + "\"", () -> !replies(message).isEmpty(), WAIT);
    }

    private void assertAnsweredOnce(UserMessage message, String text) {
        assertThat(replies(message))
                .as("replies to \"%s\"", text)
                .extracting(BotMessage::text)
                .containsExactly(text);
        assertThat(texts()).as("what the bot said in the room").containsOnlyOnce(text);
    }

    private List<BotMessage> replies(UserMessage message) {
        return app.sentTo(ROOM).stream()
                .filter(sent -> sent.repliedTo().equals(Optional.of(message.messageId())))
                .toList();
    }

    private List<String> texts() {
        return app.sentTo(ROOM).stream().map(BotMessage::text).toList();
    }
}
