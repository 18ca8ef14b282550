package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.openai.FakeOpenAiServer;
import dev.switchboard.testkit.wecom.BotReply;
import dev.switchboard.testkit.wecom.Callback;
import dev.switchboard.testkit.wecom.ClientFrame;
import dev.switchboard.testkit.wecom.FakeWeCom;
import dev.switchboard.testkit.wecom.FakeWeComBot;
import dev.switchboard.testkit.wecom.WeComChat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WeCom AI bot through the launcher ({@code gateway run --dev} in a JVM of its own) as a new user runs it: SPEC
 * §2.2's {@code [wecom]} section with the bot's credentials in the environment and {@code ws_url} at the fake,
 * selected with {@code --channel-account wecom=alerts}, the agent an OpenAI-compatible API (the fake one, which
 * answers with the user's text). Issue 12's end-to-end cases, asserted on what a user sees (the replies the fake
 * took) and an operator sees ({@code gateway run}'s state lines, {@code channels status}); the SIGKILL case is
 * {@link WeComCrashLauncherIT}.
 */
class WeComLauncherIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "alerts";
    private static final String ROOM = "group_alerts";
    private static final WeComChat ALERTS = WeComChat.group(ROOM);
    private static final WeComChat ALICE = WeComChat.single("alice");
    private static final String SECRET = "LauncherBotSecret0123456789";
    private static final String API_KEY = "sk-launcher-wecom-4f2a";
    private static final Pattern CONNECTED = Pattern.compile("channel wecom\\.alerts: connected");
    /** The fake cuts a connection that has not pinged for this long: three of the gateway's pings. */
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
    /** Twice the fake's heartbeat timeout: without pings during the turn the connection would be cut. */
    private static final Duration SLOW_TURN = Duration.ofSeconds(6);

    @TempDir
    Path home;

    private FakeWeCom wecom;
    private FakeWeComBot bot;
    private FakeOpenAiServer openAi;
    private LocalCli cli;

    @BeforeEach
    void startFakes() {
        wecom = FakeWeCom.start().heartbeatTimeout(HEARTBEAT_TIMEOUT);
        bot = wecom.addBot("aibot-launcher-alerts", SECRET);
        openAi = FakeOpenAiServer.start().requireApiKey(API_KEY);
        cli = new LocalCli(home);
    }

    @AfterEach
    void stopFakes() {
        wecom.close();
        openAi.close();
    }

    /** Two conversations at once: each reply is one finished stream on the {@code req_id} of its own callback. */
    @Test
    void repliesArriveAsFinishedStreamsOnTheReqIdOfTheCallbackTheyAnswer() throws Exception {
        try (GatewayProcess gateway = startGateway()) {
            Callback inGroup = bot.userSays(ALERTS, "alice", "status of the group?");
            Callback single = bot.userSays(ALICE, "alice", "and just for me?");

            // what each conversation got first, whatever it is: the assertions then say what is wrong with it
            assertFinishedStreamOn(inGroup, bot.awaitReplies(ROOM, 1, WAIT).get(0), "status of the group?");
            assertFinishedStreamOn(single, bot.awaitReplies("alice", 1, WAIT).get(0), "and just for me?");
            assertThat(bot.texts(ROOM)).containsExactly("status of the group?");
            assertThat(bot.texts("alice")).containsExactly("and just for me?");

            JsonNode account = ChannelsStatusJson.account(cli, "wecom", ACCOUNT);
            assertThat(account.path("state").asText()).as(account.toString()).isEqualTo("connected");
            assertThat(account.path("inbound").asLong()).as(account.toString()).isEqualTo(2);
            assertThat(account.toString()).doesNotContain(SECRET).doesNotContain(bot.botId());
            assertThat(gateway.stdout() + gateway.stderr() + logFiles())
                    .doesNotContain(SECRET)
                    .doesNotContain(API_KEY);
        }
    }

    /**
     * One gateway through three faults in turn, each followed by a sentinel: replies in a conversation keep their
     * order, so once the sentinel's reply is there, every reply the fault could cause has been sent.
     */
    @Test
    void aSlowTurnATakeOverAndARedeliveryCostNoMessageAndAnswerNoneTwice() throws Exception {
        try (GatewayProcess gateway = startGateway()) {
            // a slow agent turn: the pings go on, so the platform keeps the connection
            int subscriptions = bot.subscriptions();
            openAi.delayFirstByte(SLOW_TURN);
            Instant asked = Instant.now();
            Callback slow = bot.userSays(ALERTS, "alice", "think hard");
            BotReply slowReply = bot.awaitReplyTo(slow, WAIT);
            assertFinishedStreamOn(slow, slowReply, "think hard");
            assertThat(openAi.pendingBehaviours())
                    .as("the delayed answer was the one used")
                    .isZero();
            assertThat(pingsBetween(asked, slowReply.at()))
                    .as("pings during the %d s turn (one a second)", SLOW_TURN.toSeconds())
                    .isGreaterThanOrEqualTo(4);
            assertThat(bot.subscriptions())
                    .as("the connection was never cut for want of pings, so never subscribed again")
                    .isEqualTo(subscriptions);
            answered("sentinel after the slow turn");

            // another client takes the bot: shown, then the gateway subscribes again and answers
            assertThat(bot.takeOver()).isEqualTo(1);
            gateway.awaitStderr(Pattern.compile(
                    "channel wecom\\.alerts: degraded \\(another client took the bot \\(disconnected_event"));
            bot.awaitSubscriptions(subscriptions + 1, WAIT);
            gateway.awaitStderr(Pattern.compile("(?s)another client took the bot.*" + CONNECTED.pattern()));
            Callback afterTakeOver = bot.userSays(ALERTS, "alice", "are you back?");
            assertFinishedStreamOn(afterTakeOver, bot.awaitReplyTo(afterTakeOver, WAIT), "are you back?");
            answered("sentinel after the take-over");
            assertThat(bot.openConnections()).isEqualTo(1);
            JsonNode account = ChannelsStatusJson.account(cli, "wecom", ACCOUNT);
            assertThat(account.path("state").asText()).as(account.toString()).isEqualTo("connected");

            // the platform delivers a msgid again: after the reply, and before it
            Callback answeredFirst = bot.userSays(ALERTS, "alice", "only once please");
            bot.awaitReplyTo(answeredFirst, WAIT);
            bot.redeliver(answeredFirst);
            Callback racing = bot.userSays(ALERTS, "alice", "twice at once");
            bot.redeliver(racing);
            answered("sentinel after the redeliveries");

            assertThat(bot.redeliveries()).isEqualTo(2);
            assertThat(bot.texts(ROOM))
                    .as("what the bot said in the room, in order")
                    .containsExactly(
                            "think hard",
                            "sentinel after the slow turn",
                            "are you back?",
                            "sentinel after the take-over",
                            "only once please",
                            "twice at once",
                            "sentinel after the redeliveries");
            assertThat(bot.replies(ROOM)).extracting(BotReply::kind).containsOnly(BotReply.Kind.STREAM);
        }
    }

    /** The reply is a stream finished on {@code callback}'s {@code req_id}, with {@code text}, every frame accepted. */
    private void assertFinishedStreamOn(Callback callback, BotReply reply, String text) throws IOException {
        assertThat(reply.kind()).as("the reply to \"%s\"", text).isEqualTo(BotReply.Kind.STREAM);
        assertThat(reply.reqId()).as("the req_id of the reply to \"%s\"", text).hasValue(callback.reqId());
        assertThat(reply.content()).isEqualTo(text);
        List<ClientFrame> frames = bot.framesFor(callback);
        assertThat(frames).as("frames on %s", callback.reqId()).isNotEmpty().allSatisfy(frame -> assertThat(
                        frame.accepted())
                .as(frame.json())
                .isTrue());
        JsonNode last = JSON.readTree(frames.get(frames.size() - 1).json());
        assertThat(last.path("cmd").asText()).isEqualTo("aibot_respond_msg");
        assertThat(last.at("/body/msgtype").asText()).isEqualTo("stream");
        assertThat(last.at("/body/stream/finish").asBoolean())
                .as(last.toString())
                .isTrue();
        assertThat(last.at("/body/stream/id").asText())
                .isEqualTo(reply.streamId().orElseThrow());
    }

    /** Pings the fake took after {@code from} and before {@code to}. */
    private long pingsBetween(Instant from, Instant to) {
        return bot.frames().stream()
                .filter(frame -> frame.isCmd("ping"))
                .filter(frame -> frame.at().isAfter(from) && frame.at().isBefore(to))
                .count();
    }

    /** Alice writes {@code text} in the room and the test waits for its reply. */
    private void answered(String text) {
        Callback sentinel = bot.userSays(ALERTS, "alice", text);
        assertThat(bot.awaitReplyTo(sentinel, WAIT).content()).isEqualTo(text);
    }

    /** Every file the gateway wrote under its logs directory, concatenated. */
    private String logFiles() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.walk(home.resolve(".switchboard-dev").resolve("logs"))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }

    /**
     * {@code gateway run --dev --port 0 --channel-account wecom=alerts} with the {@code [wecom]} section of SPEC
     * §2.2 (a ping every second) and the OpenAI agent at the fake, the secrets in the environment; returns once the
     * account is connected.
     */
    private GatewayProcess startGateway() throws IOException, InterruptedException {
        Path state = home.resolve(".switchboard-dev");
        Files.createDirectories(state);
        Files.writeString(
                state.resolve("switchboard.toml"),
                """
                [agent]
                provider = "openai"
                [agent.openai]
                base_url = "%s"
                api_key = { env = "OPENAI_API_KEY" }

                [wecom]
                enabled = true
                default_account = "alerts"
                [wecom.accounts.alerts]
                bot_id = { env = "WECOM_ALERTS_BOT_ID" }
                secret = { env = "WECOM_ALERTS_SECRET" }
                allowed_conversation_ids = ["%s", "alice"]
                ws_url = "%s"
                ping_interval = "1s"
                """
                        .formatted(openAi.baseUrl(), ROOM, wecom.wsUrl()));
        GatewayProcess gateway = GatewayProcess.start(
                home,
                home.resolve("logs"),
                Map.of(
                        "WECOM_ALERTS_BOT_ID", bot.botId(),
                        "WECOM_ALERTS_SECRET", bot.secret(),
                        "OPENAI_API_KEY", API_KEY),
                "gateway",
                "run",
                "--dev",
                "--port",
                "0",
                "--channel-account",
                "wecom=" + ACCOUNT);
        try {
            gateway.awaitRunning();
            gateway.awaitStderr(CONNECTED);
            return gateway;
        } catch (IOException | InterruptedException | RuntimeException e) {
            gateway.close();
            throw e;
        }
    }
}
