package dev.switchboard.channel.feishu;

import static dev.switchboard.channel.feishu.FeishuGateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.channel.AccountState;
import dev.switchboard.testkit.feishu.Ack;
import dev.switchboard.testkit.feishu.Api;
import dev.switchboard.testkit.feishu.BotMessage;
import dev.switchboard.testkit.feishu.ClientConfig;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.feishu.Fault;
import dev.switchboard.testkit.feishu.FeishuChat;
import dev.switchboard.testkit.feishu.FeishuUser;
import dev.switchboard.testkit.feishu.FragmentOrder;
import dev.switchboard.testkit.feishu.HandshakeRejection;
import dev.switchboard.testkit.feishu.UserMessage;
import dev.switchboard.testkit.gateway.SupervisorThreads;
import dev.switchboard.testkit.logging.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Feishu channel (long connection) inside the real gateway (store, reply loop, echo agent) against the fake. */
class FeishuChannelIT {
    private static final String ROOM = "oc_ops_room";
    private static final String ALLOWED = "allowed_chat_ids = [\"" + ROOM + "\"]";
    private static final String SENTINEL = "sentinel";

    @TempDir
    Path stateDir;

    private FakeFeishu feishu;
    private FakeFeishuApp app;
    private FeishuUser alice;
    private FeishuChat room;
    private LogCapture logs;
    private final List<FeishuGateway> gateways = new ArrayList<>();

    @BeforeEach
    void setUp() {
        logs = LogCapture.attach();
        feishu = FakeFeishu.start();
        app = feishu.addApp(FakeFeishu.newAppId(), "ItIsTheAppSecret0123456789", "Switchboard Bot")
                .ackTimeout(Duration.ofSeconds(1));
        alice = app.user("Alice");
        room = app.groupChat(ROOM, "Ops");
    }

    @AfterEach
    void tearDown() {
        gateways.forEach(FeishuGateway::close);
        feishu.close();
        logs.close();
        // the app secret and tenant tokens must never reach a log line, a status or an error
        assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(app.appSecret()));
        assertThat(logs.lines()).noneMatch(line -> line.matches("(?s).*\\bt-[0-9a-f]{20}.*"));
    }

    private FeishuGateway startConnected() {
        FeishuGateway gateway = FeishuGateway.start(stateDir, feishu, app, ALLOWED);
        gateways.add(gateway);
        return gateway.awaitState(AccountState.CONNECTED);
    }

    @Test
    void aMentionInAGroupIsAnsweredAsAReplyAndAcknowledgedWithBizRt() {
        FeishuGateway gateway = startConnected();

        app.userSays(room, alice, "just humans talking");
        UserMessage question = app.userMentionsBot(room, alice, "status?");

        BotMessage reply = app.awaitSent(1, WAIT).get(0);
        assertThat(reply.text()).isEqualTo("status?");
        assertThat(reply.repliedTo()).hasValue(question.messageId());
        Ack ack = app.awaitAck(question, WAIT);
        assertThat(ack.code()).isEqualTo(200);
        assertThat(ack.bizRt()).isPresent();
        awaitSentinel(2);
        assertThat(app.sent()).extracting(BotMessage::text).containsExactly("status?", SENTINEL);
        assertThat(gateway.account().inbound()).isEqualTo(2);
    }

    @Test
    void aFragmentedEventIsReassembledAndAnsweredOnce() {
        startConnected();
        app.fragmentEvents(3, FragmentOrder.REVERSED);

        UserMessage question = app.userMentionsBot(room, alice, "a question in three parts");

        assertThat(app.awaitSent(1, WAIT).get(0).text()).isEqualTo("a question in three parts");
        assertThat(app.awaitAck(question, WAIT).code()).isEqualTo(200);
        awaitSentinel(2);
        assertThat(app.sent()).extracting(BotMessage::text).containsExactly("a question in three parts", SENTINEL);
        assertThat(app.repushes()).isZero();
    }

    @Test
    void anEventPushedAgainBeforeItsAckArrivedIsAnsweredOnce() {
        startConnected();
        // the first acknowledgement reaches the fake after it has pushed the event again
        app.delayAcks(1, Duration.ofSeconds(2));

        UserMessage question = app.userMentionsBot(room, alice, "only once please");
        app.awaitRepushes(1, WAIT);
        app.awaitAck(question, WAIT);

        awaitSentinel(2);
        assertThat(app.sent()).extracting(BotMessage::text).containsExactly("only once please", SENTINEL);
    }

    @Test
    void aSeveredConnectionIsReestablishedAndLaterEventsAreAnswered() {
        FeishuGateway gateway = startConnected();

        assertThat(app.severConnections()).isEqualTo(1);
        app.awaitConnectionsOpened(2, WAIT);
        gateway.awaitState(AccountState.CONNECTED);

        app.userMentionsBot(room, alice, "still there?");
        assertThat(app.awaitSent(1, WAIT).get(0).text()).isEqualTo("still there?");
        assertThat(app.callCount(Api.ENDPOINT))
                .as("a fresh endpoint for the reconnect")
                .isEqualTo(2);
    }

    @Test
    void aConnectionThatGoesSilentIsNoticedByItsMissingPongsAndReplaced() {
        // ping every second, reconnect within a second: the server's ClientConfig
        app.clientConfig(new ClientConfig(-1, 1, 0, 1));
        startConnected();
        app.awaitPings(1, WAIT);

        // open, but dead: no pongs, no pushes
        assertThat(app.silenceConnections()).isEqualTo(1);
        app.awaitConnectionsOpened(2, WAIT);

        app.userMentionsBot(room, alice, "anyone home?");
        assertThat(app.awaitSent(1, WAIT).get(0).text()).isEqualTo("anyone home?");
        assertThat(app.connections().get(0).closedAt())
                .as("the silent connection was dropped")
                .isPresent();
    }

    @Test
    void aRejectedTokenIsRefreshedOnceAndTheReplyGoesOut() {
        startConnected();
        int tokens = app.callCount(Api.TOKEN);

        app.invalidateTokens();
        app.userMentionsBot(room, alice, "after the token expired");

        assertThat(app.awaitSent(1, WAIT).get(0).text()).isEqualTo("after the token expired");
        // the fake counts only replies it let through: the one refused for its token is not among them
        assertThat(app.callCount(Api.TOKEN) - tokens).as("one new token").isEqualTo(1);
        assertThat(app.callCount(Api.REPLY)).isEqualTo(1);
    }

    @Test
    void aRateLimitedReplyWaitsForTheReset() {
        startConnected();
        app.failNext(Api.REPLY, 1, Fault.rateLimited(2));

        Instant asked = Instant.now();
        app.userMentionsBot(room, alice, "slowly");

        assertThat(app.awaitSent(1, WAIT).get(0).text()).isEqualTo("slowly");
        assertThat(Duration.between(asked, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(app.callCount(Api.REPLY)).isEqualTo(2);
    }

    @Test
    void aWithdrawnMessageFailsItsReplyWithThePlatformsReasonNotTheAccount() {
        FeishuGateway gateway = startConnected();
        app.failNext(Api.REPLY, 1, Fault.messageWithdrawn());

        app.userMentionsBot(room, alice, "never mind");

        await().atMost(WAIT).until(() -> gateway.account().failed() == 1);
        awaitSentinel(1);
        assertThat(app.sent()).extracting(BotMessage::text).containsExactly(SENTINEL);
        assertThat(gateway.account().state()).isEqualTo(AccountState.CONNECTED);
        assertThat(logs.lines()).anyMatch(line -> line.contains("The message was withdrawn."));
    }

    @Test
    void aReplyWhoseAnswerWasLostIsResentWithTheSameUuidAndArrivesOnce() {
        startConnected();
        // the platform sends the reply, and the gateway never learns it did: as after a crash mid-send. Three
        // times, so the outbox sends again (HTTP clients retry a dropped request once on their own)
        app.failNext(Api.REPLY, 3, Fault.dropConnectionAfterHandling());

        app.userMentionsBot(room, alice, "exactly once");

        await().atMost(WAIT).until(() -> app.callCount(Api.REPLY) >= 4);
        awaitSentinel(2);
        assertThat(app.sent()).extracting(BotMessage::text).containsExactly("exactly once", SENTINEL);
        assertThat(app.sent().get(0).uuid()).isPresent();
    }

    @Test
    void aRejectedHandshakeFailsTheAccountWithThePlatformsMessage() {
        app.rejectNextHandshakes(5, HandshakeRejection.authFailed("app ticket is invalid"));
        FeishuGateway gateway = FeishuGateway.start(stateDir, feishu, app, ALLOWED);
        gateways.add(gateway);

        gateway.awaitState(AccountState.FAILED);
        assertThat(gateway.account().lastError())
                .hasValueSatisfying(error ->
                        assertThat(error).contains("Handshake-Status 514").contains("app ticket is invalid"));
        SupervisorThreads.awaitNothingScheduled("feishu", "work", WAIT);
        assertThat(gateway.account().restarts()).isZero();
    }

    @Test
    void theConnectionLimitIsRetriedUntilASlotIsFree() {
        app.rejectNextHandshakes(1, HandshakeRejection.connectionLimitExceeded());

        startConnected();

        app.userMentionsBot(room, alice, "made it");
        assertThat(app.awaitSent(1, WAIT).get(0).text()).isEqualTo("made it");
        assertThat(app.callCount(Api.ENDPOINT)).isEqualTo(2);
    }

    @Test
    void wrongCredentialsFailTheAccountPermanentlyWithoutRetrying() {
        FeishuGateway gateway = FeishuGateway.start(stateDir, feishu, app.appId(), "wrong-secret-0123456789", ALLOWED);
        gateways.add(gateway);

        gateway.awaitState(AccountState.FAILED);
        assertThat(gateway.account().lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("refused the app's credentials")
                .doesNotContain("wrong-secret-0123456789"));
        SupervisorThreads.awaitNothingScheduled("feishu", "work", WAIT);
        assertThat(gateway.account().restarts()).isZero();
        assertThat(logs.lines()).noneMatch(line -> line.contains("wrong-secret-0123456789"));
    }

    /**
     * Alice sends {@value #SENTINEL} and the test waits until the bot has sent {@code total} messages in the room.
     * Replies in a chat keep their order: whatever else the gateway would send there has been sent by then.
     */
    private void awaitSentinel(int total) {
        app.userMentionsBot(room, alice, SENTINEL);
        await().atMost(WAIT).until(() -> app.sentTo(ROOM).size() >= total);
        assertThat(app.sentTo(ROOM).get(total - 1).text()).isEqualTo(SENTINEL);
    }
}
