package dev.switchboard.channel.wecom;

import static dev.switchboard.channel.wecom.WeComGateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.channel.AccountState;
import dev.switchboard.testkit.gateway.SupervisorThreads;
import dev.switchboard.testkit.logging.LogCapture;
import dev.switchboard.testkit.openai.FakeOpenAiServer;
import dev.switchboard.testkit.wecom.BotReply;
import dev.switchboard.testkit.wecom.Callback;
import dev.switchboard.testkit.wecom.ClientFrame;
import dev.switchboard.testkit.wecom.Command;
import dev.switchboard.testkit.wecom.FakeWeCom;
import dev.switchboard.testkit.wecom.FakeWeComBot;
import dev.switchboard.testkit.wecom.Fault;
import dev.switchboard.testkit.wecom.MixedItem;
import dev.switchboard.testkit.wecom.WeComChat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WeCom channel inside the real gateway (store, reply loop, agent) against the fake AI-bot long connection. */
class WeComChannelIT {
    private static final String SECRET = "ItIsTheBotSecret0123456789";
    private static final String ROOM = "group_alerts";
    private static final WeComChat ALERTS = WeComChat.group(ROOM);
    private static final WeComChat ALICE = WeComChat.single("alice");
    private static final String ALLOWED = "allowed_conversation_ids = [\"" + ROOM + "\", \"alice\"]";
    private static final String SENTINEL = "sentinel";

    @TempDir
    Path stateDir;

    private FakeWeCom wecom;
    private FakeWeComBot bot;
    private LogCapture logs;
    private @Nullable FakeOpenAiServer openAi;
    private final List<WeComGateway> gateways = new ArrayList<>();

    @BeforeEach
    void setUp() {
        logs = LogCapture.attach();
        wecom = FakeWeCom.start();
        bot = wecom.addBot("aibot-alerts", SECRET);
    }

    @AfterEach
    void tearDown() {
        gateways.forEach(WeComGateway::close);
        wecom.close();
        if (openAi != null) {
            openAi.close();
        }
        logs.close();
        // the bot secret never reaches a log line, a status or an error
        assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(SECRET));
    }

    private WeComGateway start(String keys) {
        return start(keys, "");
    }

    private WeComGateway start(String keys, String extra) {
        String account = "bot_id = \"" + bot.botId() + "\"\n"
                + "secret = \"" + bot.secret() + "\"\n"
                + "ws_url = \"" + wecom.wsUrl() + "\"\n"
                + keys;
        WeComGateway gateway = WeComGateway.start(stateDir, account, extra);
        gateways.add(gateway);
        return gateway;
    }

    private WeComGateway startConnected(String keys) {
        return start(keys).awaitState(AccountState.CONNECTED);
    }

    /** An agent that answers with the user's text after {@code delay}: the fake OpenAI provider. */
    private String slowAgent(Duration delay) {
        FakeOpenAiServer fake = FakeOpenAiServer.start().delayFirstByte(delay);
        openAi = fake;
        return "agent { provider = \"openai\"\nopenai { base_url = \"" + fake.baseUrl() + "\"\napi_key = \"k\" } }";
    }

    @Test
    void aMessageIsAnsweredWithAFinishedStreamOnItsCallbacksReqId() {
        WeComGateway gateway = startConnected(ALLOWED);

        Callback question = bot.userSays(ALERTS, "alice", "status?");

        BotReply reply = bot.awaitReplyTo(question, WAIT);
        assertThat(reply.kind()).isEqualTo(BotReply.Kind.STREAM);
        assertThat(reply.reqId()).hasValue(question.reqId());
        assertThat(reply.content()).isEqualTo("status?");
        assertThat(reply.frames()).as("one frame, finish:true").isEqualTo(1);
        assertThat(bot.framesFor(question))
                .allSatisfy(frame -> assertThat(frame.errcode()).hasValue(0));
        assertThat(gateway.account().inbound()).isEqualTo(1);
    }

    @Test
    void aSingleChatIsTheUsersConversationAndVoiceAndMixedMessagesAreRead() {
        startConnected(ALLOWED);

        Callback voice = bot.userSendsVoice(ALICE, "alice", "what broke last night");
        Callback mixed = bot.userSendsMixed(
                ALICE, "alice", List.of(MixedItem.text("look at this"), MixedItem.image(), MixedItem.text("and this")));
        Callback file = bot.userSendsFile(ALICE, "alice");

        assertThat(bot.awaitReplyTo(voice, WAIT).content()).isEqualTo("what broke last night");
        assertThat(bot.awaitReplyTo(mixed, WAIT).content()).isEqualTo("look at this\n[image]\nand this");
        assertThat(bot.awaitReplyTo(file, WAIT).content()).isEqualTo("[file]");
        assertThat(bot.replies("alice")).hasSize(3);
    }

    @Test
    void pingsGoOnWhileTheAgentIsSlowAndTheConnectionSurvivesTheTurn() {
        // the fake cuts a connection that has not pinged for 3 s; the agent takes 6 s
        wecom.heartbeatTimeout(Duration.ofSeconds(3));
        start(ALLOWED + "\nping_interval = 1s", slowAgent(Duration.ofSeconds(6)))
                .awaitState(AccountState.CONNECTED);
        int pingsBefore = bot.pings();

        Callback question = bot.userSays(ALERTS, "alice", "think hard");

        BotReply reply = bot.awaitReplyTo(question, WAIT);
        assertThat(reply.content()).isEqualTo("think hard");
        assertThat(reply.reqId()).hasValue(question.reqId());
        assertThat(bot.pings() - pingsBefore).as("pings during the 6 s turn").isGreaterThanOrEqualTo(4);
        assertThat(bot.subscriptions())
                .as("the connection was never cut for silence")
                .isEqualTo(1);
        assertThat(bot.connections()).hasSize(1);
    }

    @Test
    void anotherClientTakingTheBotIsShownAndTheGatewaySubscribesAgain() {
        WeComGateway gateway = startConnected(ALLOWED);

        assertThat(bot.takeOver()).isEqualTo(1);

        await().atMost(WAIT).untilAsserted(() -> assertThat(gateway.account().lastError())
                .hasValueSatisfying(error -> assertThat(error).contains("another client took the bot")));
        bot.awaitSubscriptions(2, WAIT);
        gateway.awaitState(AccountState.CONNECTED);
        Callback later = bot.userSays(ALERTS, "alice", "are you back?");
        assertThat(bot.awaitReplyTo(later, WAIT).content()).isEqualTo("are you back?");
        assertThat(logs.lines()).anyMatch(line -> line.contains("disconnected_event"));
    }

    @Test
    void aRedeliveredMessageIsAnsweredOnce() {
        WeComGateway gateway = startConnected(ALLOWED);

        Callback once = bot.userSays(ALERTS, "alice", "only once please");
        bot.awaitReplyTo(once, WAIT);
        bot.redeliver(once);

        awaitSentinel(2);
        assertThat(bot.texts(ROOM)).containsExactly("only once please", SENTINEL);
        assertThat(gateway.account().inbound()).isEqualTo(2);
    }

    @Test
    void aSenderOutsideAllowedSenderIdsIsDroppedAndNeverAnswered() {
        WeComGateway gateway = startConnected(ALLOWED + "\nallowed_sender_ids = [\"alice\"]");

        bot.userSays(ALERTS, "mallory", "let me in");

        awaitSentinel(1);
        assertThat(bot.texts(ROOM)).containsExactly(SENTINEL);
        assertThat(gateway.account().dropped()).isEqualTo(1);
    }

    @Test
    void aRefusedSubscriptionFailsTheAccountWithTheErrcodeAndErrmsg() {
        bot.subscribeRefusal(853000, "signature is incorrect, please check if the bot secret is correct");
        String keys = "bot_id = \"" + bot.botId() + "\"\nsecret = \"WrongBotSecret0123456789\"\nws_url = \""
                + wecom.wsUrl() + "\"\n" + ALLOWED;
        WeComGateway gateway = WeComGateway.start(stateDir, keys, "");
        gateways.add(gateway);

        gateway.awaitState(AccountState.FAILED);
        assertThat(gateway.account().lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("853000")
                .contains("signature is incorrect")
                .contains("check bot_id and secret")
                .doesNotContain("WrongBotSecret0123456789"));
        SupervisorThreads.awaitNothingScheduled("wecom", "alerts", WAIT);
        assertThat(gateway.account().restarts()).isZero();
        assertThat(bot.refusedSubscriptions()).isEqualTo(1);
        assertThat(logs.lines()).noneMatch(line -> line.contains("WrongBotSecret0123456789"));
    }

    @Test
    void aLongReplyIsAStreamUpToTheByteLimitContinuedAsMarkdown() {
        startConnected(ALLOWED);
        // 3-byte characters: 9000 of them are 27000 bytes, more than a stream frame takes
        String line = "告警".repeat(50);
        String text = IntStream.range(0, 90).mapToObj(i -> line).collect(Collectors.joining("\n"));

        Callback question = bot.userSays(ALERTS, "alice", text);

        BotReply stream = bot.awaitReplyTo(question, WAIT);
        List<BotReply> all = bot.awaitReplies(ROOM, 3, WAIT);
        assertThat(stream.content().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(20480);
        assertThat(all.get(0)).isEqualTo(stream);
        assertThat(all.subList(1, all.size())).allSatisfy(part -> {
            assertThat(part.kind()).isEqualTo(BotReply.Kind.SEND);
            assertThat(part.msgType()).isEqualTo("markdown");
            assertThat(part.content().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        });
        awaitSentinel(all.size() + 1);
        assertThat(String.join("\n", bot.texts(ROOM).subList(0, all.size()))).isEqualTo(text);
    }

    @Test
    void aReplyAfterTheStreamWindowClosedGoesOutAsAProactiveMessage() {
        bot.replyWindow(Duration.ofSeconds(1));
        start(ALLOWED, slowAgent(Duration.ofSeconds(2))).awaitState(AccountState.CONNECTED);

        Callback late = bot.userSays(ALERTS, "alice", "answered late");

        List<BotReply> replies = bot.awaitReplies(ROOM, 1, WAIT);
        assertThat(replies.get(0).kind()).isEqualTo(BotReply.Kind.SEND);
        assertThat(replies.get(0).content()).isEqualTo("answered late");
        assertThat(bot.framesFor(late))
                .as("the stream frame was refused: the window had closed")
                .extracting(ClientFrame::errcode)
                .containsExactly(Optional.of(846605));
    }

    @Test
    void enterChatIsAnsweredWithTheConfiguredWelcome() {
        startConnected(ALLOWED + "\nwelcome_message = \"Hi, I am the alerts bot.\"");

        Callback entered = bot.userEntersChat("alice");

        BotReply welcome = bot.awaitReplies("alice", 1, WAIT).get(0);
        assertThat(welcome.kind()).isEqualTo(BotReply.Kind.WELCOME);
        assertThat(welcome.reqId()).hasValue(entered.reqId());
        assertThat(welcome.content()).isEqualTo("Hi, I am the alerts bot.");
    }

    @Test
    void enterChatWithoutAWelcomeMessageIsPassedOver() {
        startConnected(ALLOWED);

        bot.userEntersChat("alice");
        Callback after = bot.userSays(ALICE, "alice", "hello");

        bot.awaitReplyTo(after, WAIT);
        assertThat(bot.replies("alice")).extracting(BotReply::kind).containsExactly(BotReply.Kind.STREAM);
    }

    @Test
    void aSocketThatGoesSilentIsNoticedByTheMissingPingAcksAndReplaced() {
        startConnected(ALLOWED + "\nping_interval = 1s");
        bot.awaitPings(1, WAIT);

        // open, but dead: no acks, no pushes, no close frame (the fake's own cut comes only after 60 s)
        assertThat(bot.silenceConnections()).isEqualTo(1);
        bot.awaitSubscriptions(2, Duration.ofSeconds(15));

        Callback question = bot.userSays(ALERTS, "alice", "anyone home?");
        assertThat(bot.awaitReplyTo(question, WAIT).content()).isEqualTo("anyone home?");
        assertThat(bot.connections().get(0).closedAt())
                .as("the silent socket was dropped")
                .isPresent();
    }

    @Test
    void aFrameWhoseAckNeverCameIsSentAgainAndArrivesOnce() {
        startConnected(ALLOWED);
        // lost: neither shown nor acknowledged; the channel's 5 s ack timeout makes the outbox send again
        bot.failNext(Command.RESPOND_MSG, 1, Fault.lost());

        Callback question = bot.userSays(ALERTS, "alice", "after a lost frame");

        assertThat(bot.awaitReplyTo(question, WAIT).content()).isEqualTo("after a lost frame");
        assertThat(bot.framesFor(question)).hasSize(2);
        awaitSentinel(2);
        assertThat(bot.texts(ROOM)).containsExactly("after a lost frame", SENTINEL);
    }

    /**
     * Alice sends {@value #SENTINEL} in the room and the test waits until the bot has sent {@code total} messages
     * there. Replies in a conversation keep their order: whatever else the gateway would send there has been sent.
     */
    private void awaitSentinel(int total) {
        bot.userSays(ALERTS, "alice", SENTINEL);
        await().atMost(WAIT).until(() -> bot.texts(ROOM).size() >= total);
        assertThat(bot.texts(ROOM).get(total - 1)).isEqualTo(SENTINEL);
    }
}
