package dev.switchboard.testkit.feishu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.feishu.LongConnectionClient.Answer;
import dev.switchboard.testkit.feishu.LongConnectionClient.Event;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeFeishuTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeFeishu feishu;
    private FakeFeishuApp app;
    private LongConnectionClient client;

    @BeforeEach
    void start() {
        feishu = FakeFeishu.start();
        app = feishu.addApp(FakeFeishu.newAppId(), "s3cret-app-secret", "Switchboard Bot");
        client = new LongConnectionClient(feishu.baseUrl());
    }

    @AfterEach
    void stop() {
        client.close();
        feishu.close();
    }

    // ---------------------------------------------------------------- tenant_access_token

    @Test
    void theTokenStaysTheSameUntilNearExpiryThenANewOneComesAndBothWork() throws Exception {
        app.tokenLifetime(Duration.ofHours(2), Duration.ofMinutes(30));
        Answer first = tokenCall(app.appSecret());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("code").asInt()).isZero();
        assertThat(first.body().path("expire").asLong()).isBetween(7190L, 7200L);
        String token = first.body().path("tenant_access_token").asText();
        assertThat(token).startsWith("t-");

        feishu.advanceClock(Duration.ofMinutes(60));
        Answer again = tokenCall(app.appSecret());
        assertThat(again.body().path("tenant_access_token").asText()).isEqualTo(token);
        assertThat(again.body().path("expire").asLong()).isBetween(3590L, 3600L);

        feishu.advanceClock(Duration.ofMinutes(40)); // 20 minutes left: under the 30-minute window
        String renewed = client.token(app.appId(), app.appSecret());
        assertThat(renewed).isNotEqualTo(token);
        assertThat(botInfo(Optional.of(token)).body().path("code").asInt()).isZero();
        assertThat(botInfo(Optional.of(renewed)).body().path("code").asInt()).isZero();

        feishu.advanceClock(Duration.ofMinutes(21)); // the first token expired, the renewed one did not
        Answer expired = botInfo(Optional.of(token));
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.body().path("code").asInt()).isEqualTo(99991663);
        assertThat(botInfo(Optional.of(renewed)).body().path("code").asInt()).isZero();
    }

    @Test
    void aWrongSecretGetsTheAppSecretInvalidCodeAndNoToken() throws Exception {
        Answer answer = tokenCall("not-the-secret");
        assertThat(answer.body().path("code").asInt()).isEqualTo(10014);
        assertThat(answer.body().path("msg").asText()).isEqualTo("app secret invalid");
        assertThat(answer.body().has("tenant_access_token")).isFalse();
    }

    @Test
    void everyApiCallChecksTheToken() throws Exception {
        assertThat(botInfo(Optional.empty()).body().path("code").asInt()).isEqualTo(99991661);
        assertThat(botInfo(Optional.of("t-forged")).body().path("code").asInt()).isEqualTo(99991663);
        String token = client.token(app.appId(), app.appSecret());
        app.invalidateTokens();
        Answer send = client.post(
                FakeFeishu.MESSAGES_PATH + "?receive_id_type=chat_id",
                textSend(app.groupChat("Ops").chatId(), "hi", null),
                Optional.of(token));
        assertThat(send.body().path("code").asInt()).isEqualTo(99991663);
        assertThat(app.sent()).isEmpty();
    }

    @Test
    void botInfoNamesTheBotsOpenId() throws Exception {
        JsonNode bot = botInfo(Optional.of(client.token(app.appId(), app.appSecret())))
                .body()
                .path("bot");
        assertThat(bot.path("open_id").asText()).isEqualTo(app.botOpenId()).startsWith("ou_");
        assertThat(bot.path("app_name").asText()).isEqualTo("Switchboard Bot");
    }

    // ---------------------------------------------------------------- endpoint bootstrap

    @Test
    void theEndpointHandsOutAWebSocketUrlAndTheClientConfig() throws Exception {
        app.clientConfig(new ClientConfig(-1, 5, 1, 7));
        JsonNode data = client.endpoint(app.appId(), app.appSecret());
        URI url = URI.create(data.path("URL").asText());
        assertThat(url.getScheme()).isEqualTo("ws");
        assertThat(url.getRawQuery()).contains("device_id=", "service_id=", "ticket=");
        JsonNode config = data.path("ClientConfig");
        assertThat(config.path("ReconnectCount").asInt()).isEqualTo(-1);
        assertThat(config.path("ReconnectInterval").asInt()).isEqualTo(5);
        assertThat(config.path("ReconnectNonce").asInt()).isEqualTo(1);
        assertThat(config.path("PingInterval").asInt()).isEqualTo(7);
    }

    @Test
    void theEndpointRefusesBadCredentialsWithAPermanentCodeAndScriptedErrorsWithRetryableOnes() throws Exception {
        Answer wrong = client.post(
                FakeFeishu.ENDPOINT_PATH,
                "{\"AppID\":\"" + app.appId() + "\",\"AppSecret\":\"nope\"}",
                Optional.empty());
        assertThat(wrong.status()).isEqualTo(200);
        assertThat(wrong.body().path("code").asInt()).isEqualTo(1000040345);
        Answer empty = client.post(FakeFeishu.ENDPOINT_PATH, "{\"AppID\":\"\",\"AppSecret\":\"\"}", Optional.empty());
        assertThat(empty.body().path("code").asInt()).isEqualTo(1000040344);

        app.failNext(Api.ENDPOINT, 1, Fault.systemBusy());
        app.failNext(Api.ENDPOINT, 1, Fault.endpointInternalError());
        app.failNext(Api.ENDPOINT, 1, Fault.serverError(503));
        String good = "{\"AppID\":\"" + app.appId() + "\",\"AppSecret\":\"" + app.appSecret() + "\"}";
        assertThat(client.post(FakeFeishu.ENDPOINT_PATH, good, Optional.empty())
                        .body()
                        .path("code")
                        .asInt())
                .isEqualTo(1);
        assertThat(client.post(FakeFeishu.ENDPOINT_PATH, good, Optional.empty())
                        .body()
                        .path("code")
                        .asInt())
                .isEqualTo(1000040343);
        assertThat(client.post(FakeFeishu.ENDPOINT_PATH, good, Optional.empty()).status())
                .isEqualTo(503);
        assertThat(client.post(FakeFeishu.ENDPOINT_PATH, good, Optional.empty())
                        .body()
                        .path("code")
                        .asInt())
                .isZero();
    }

    // ---------------------------------------------------------------- the long connection

    @Test
    void aPingIsAnsweredWithAPongCarryingTheClientConfig() throws Exception {
        app.clientConfig(new ClientConfig(3, 9, 2, 11));
        client.open(app.appId(), app.appSecret());
        client.ping();
        Pbbp2Frame pong = client.next(WAIT);
        assertThat(pong.method()).isEqualTo(Pbbp2Frame.CONTROL);
        assertThat(pong.header("type")).contains("pong");
        assertThat(pong.service()).isEqualTo(client.serviceId);
        JsonNode config = LongConnectionClient.JSON.readTree(pong.payloadBytes());
        assertThat(config.path("PingInterval").asInt()).isEqualTo(11);
        assertThat(config.path("ReconnectCount").asInt()).isEqualTo(3);
        assertThat(app.connections()).singleElement().satisfies(c -> assertThat(c.pings())
                .isEqualTo(1));
    }

    @Test
    void anAcknowledgedEventIsNotPushedAgain() throws Exception {
        app.ackTimeout(Duration.ofMillis(300));
        FeishuUser alice = app.user("Alice");
        FeishuChat dm = app.p2pChat(alice);
        client.open(app.appId(), app.appSecret());
        UserMessage hello = app.userSays(dm, alice, "hello");

        Event event = client.nextEvent(WAIT);
        assertThat(event.lastFrame().header("type")).contains("event");
        assertThat(event.lastFrame().header("trace_id")).isPresent();
        JsonNode envelope = event.envelope();
        assertThat(envelope.path("schema").asText()).isEqualTo("2.0");
        assertThat(envelope.path("header").path("event_type").asText()).isEqualTo("im.message.receive_v1");
        assertThat(envelope.path("header").path("event_id").asText()).isEqualTo(hello.eventId());
        assertThat(envelope.path("header").path("app_id").asText()).isEqualTo(app.appId());
        assertThat(envelope.path("header").path("create_time").isTextual()).isTrue();
        JsonNode message = envelope.path("event").path("message");
        assertThat(message.path("message_id").asText())
                .isEqualTo(hello.messageId())
                .startsWith("om_");
        assertThat(message.path("chat_id").asText()).isEqualTo(dm.chatId());
        assertThat(message.path("chat_type").asText()).isEqualTo("p2p");
        assertThat(message.path("message_type").asText()).isEqualTo("text");
        assertThat(LongConnectionClient.JSON
                        .readTree(message.path("content").asText())
                        .path("text")
                        .asText())
                .isEqualTo("hello");
        assertThat(envelope.path("event")
                        .path("sender")
                        .path("sender_id")
                        .path("open_id")
                        .asText())
                .isEqualTo(alice.openId());
        assertThat(envelope.path("event").path("sender").path("sender_type").asText())
                .isEqualTo("user");

        client.ack(event.lastFrame(), 200);
        Ack ack = app.awaitAck(hello, WAIT);
        assertThat(ack.bizRt()).contains("3");

        // sentinel: a second event, acknowledged after more than one ack timeout; the first was not re-pushed
        Thread.sleep(600);
        UserMessage sentinel = app.userSays(dm, alice, "sentinel");
        Event next = client.nextEvent(WAIT);
        assertThat(next.eventId()).isEqualTo(sentinel.eventId());
        client.ack(next.lastFrame(), 200);
        app.awaitAck(sentinel, WAIT);
        assertThat(app.repushes()).isZero();
        assertThat(app.unacknowledged()).isZero();
        assertThat(client.drain()).isEmpty();
    }

    @Test
    void anUnacknowledgedEventIsPushedAgainAsTheSameEventUntilAcknowledged() throws Exception {
        app.ackTimeout(Duration.ofMillis(200));
        FeishuUser bob = app.user("Bob");
        client.open(app.appId(), app.appSecret());
        UserMessage message = app.userSays(app.p2pChat(bob), bob, "are you there?");

        Event first = client.nextEvent(WAIT);
        Event again = client.nextEvent(WAIT); // no ack: the platform pushes it again
        assertThat(again.eventId()).isEqualTo(first.eventId()).isEqualTo(message.eventId());
        assertThat(again.envelope()
                        .path("event")
                        .path("message")
                        .path("message_id")
                        .asText())
                .isEqualTo(message.messageId());
        assertThat(app.repushes()).isGreaterThanOrEqualTo(1);

        client.ack(again.lastFrame(), 200);
        app.awaitAck(message, WAIT);
        assertThat(app.unacknowledged()).isZero();
    }

    @Test
    void aDelayedAckArrivesAfterTheRepushAndStillEndsThePush() throws Exception {
        app.ackTimeout(Duration.ofMillis(300)).maxDeliveries(10).delayAcks(1, Duration.ofSeconds(1));
        FeishuUser erin = app.user("Erin");
        client.open(app.appId(), app.appSecret());
        UserMessage message = app.userSays(app.p2pChat(erin), erin, "over a slow network");

        client.ack(client.nextEvent(WAIT).lastFrame(), 200);
        Event again = client.nextEvent(WAIT); // the ack is still on its way
        assertThat(again.eventId()).isEqualTo(message.eventId());
        assertThat(app.acks()).isEmpty();

        Ack late = app.awaitAck(message, WAIT);
        assertThat(late.accepted()).isTrue();
        assertThat(app.acks()).singleElement().isEqualTo(late);
        assertThat(app.repushes()).isGreaterThanOrEqualTo(1);
        assertThat(app.unacknowledged()).isZero();
        assertThat(app.givenUp()).isZero();
    }

    @Test
    void aNon200AckIsARepushAndTheFakeGivesUpAfterMaxDeliveries() throws Exception {
        app.ackTimeout(Duration.ofSeconds(30)).maxDeliveries(2);
        FeishuUser bob = app.user("Bob");
        client.open(app.appId(), app.appSecret());
        UserMessage message = app.userSays(app.p2pChat(bob), bob, "fail me");
        client.ack(client.nextEvent(WAIT).lastFrame(), 500);
        Event second = client.nextEvent(WAIT);
        assertThat(second.eventId()).isEqualTo(message.eventId());
        client.ack(second.lastFrame(), 500);
        assertThat(app.awaitAcks(2, WAIT)).hasSize(2).allSatisfy(a -> assertThat(a.accepted())
                .isFalse());
        app.awaitCondition("the event given up", () -> app.givenUp() == 1, WAIT);
        assertThat(app.unacknowledged()).isZero();
    }

    @Test
    void aFragmentedEventArrivesOutOfOrderAndReassemblesBySeq() throws Exception {
        app.fragmentEvents(3, FragmentOrder.REVERSED);
        FeishuUser carol = app.user("Carol");
        FeishuChat room = app.groupChat("oc_ops_room", "Ops");
        client.open(app.appId(), app.appSecret());
        UserMessage message = app.userMentionsBot(room, carol, "status please " + "x".repeat(500));

        Pbbp2Frame firstArrived = client.nextData(WAIT);
        assertThat(firstArrived.header("sum")).contains("3");
        assertThat(firstArrived.header("seq")).contains("2");
        Pbbp2Frame second = client.nextData(WAIT);
        Pbbp2Frame third = client.nextData(WAIT);
        assertThat(List.of(second, third))
                .allSatisfy(f -> assertThat(f.header("message_id")).isEqualTo(firstArrived.header("message_id")));
        assertThat(third.header("seq")).contains("0");
        String whole = third.payloadText() + second.payloadText() + firstArrived.payloadText();
        assertThat(whole).isEqualTo(message.envelope());

        JsonNode mention = LongConnectionClient.JSON
                .readTree(whole)
                .path("event")
                .path("message")
                .path("mentions")
                .path(0);
        assertThat(mention.path("key").asText()).isEqualTo("@_user_1");
        assertThat(mention.path("id").path("open_id").asText()).isEqualTo(app.botOpenId());
        client.ack(third, 200);
        app.awaitAck(message, WAIT);
    }

    @Test
    void eventsWaitForAConnectionAndGoToTheNextOneAfterADrop() throws Exception {
        app.ackTimeout(Duration.ofMillis(300));
        FeishuUser dave = app.user("Dave");
        FeishuChat dm = app.p2pChat(dave);
        UserMessage early = app.userSays(dm, dave, "before anyone connected");
        client.open(app.appId(), app.appSecret());
        Event event = client.nextEvent(WAIT);
        assertThat(event.eventId()).isEqualTo(early.eventId());
        client.ack(event.lastFrame(), 200);

        assertThat(app.severConnections()).isEqualTo(1);
        assertThat(client.awaitClosed(WAIT)).isIn(1006, -1); // no close frame: the network dropped it
        app.awaitOpenConnections(0, WAIT);
        UserMessage late = app.userSays(dm, dave, "while disconnected");

        try (LongConnectionClient second = new LongConnectionClient(feishu.baseUrl())) {
            second.open(app.appId(), app.appSecret());
            Event redelivered = second.nextEvent(WAIT);
            assertThat(redelivered.eventId()).isEqualTo(late.eventId());
            second.ack(redelivered.lastFrame(), 200);
            app.awaitAck(late, WAIT);
        }
        assertThat(app.connections()).hasSize(2);
    }

    @Test
    void closeConnectionsSendsACloseFrame() throws Exception {
        client.open(app.appId(), app.appSecret());
        app.awaitOpenConnections(1, WAIT);
        int withSocket = feishu.openConnections(); // the socket, and the client's keep-alive HTTP connection
        assertThat(app.closeConnections()).isEqualTo(1);
        assertThat(client.awaitClosed(WAIT)).isEqualTo(1000);
        app.awaitOpenConnections(0, WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (feishu.openConnections() != withSocket - 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(feishu.openConnections()).isEqualTo(withSocket - 1); // a closed socket is no open connection
    }

    @Test
    void aSilencedConnectionStaysOpenButAnswersNoPingAndGetsNoEvents() throws Exception {
        FeishuUser erin = app.user("Erin");
        client.open(app.appId(), app.appSecret());
        app.awaitOpenConnections(1, WAIT);
        app.silenceConnections();
        client.ping();
        UserMessage unheard = app.userSays(app.p2pChat(erin), erin, "anyone?");
        app.awaitPings(1, WAIT);
        assertThat(app.openConnections()).isEqualTo(1);
        assertThat(app.connections()).singleElement().satisfies(c -> assertThat(c.silenced())
                .isTrue());

        try (LongConnectionClient fresh = new LongConnectionClient(feishu.baseUrl())) {
            fresh.open(app.appId(), app.appSecret());
            assertThat(fresh.nextEvent(WAIT).eventId()).isEqualTo(unheard.eventId()); // it waited for a live one
        }
        assertThat(client.drain()).isEmpty(); // neither the pong nor the event reached the silenced connection
    }

    @Test
    void aRejectedHandshakeCarriesTheHandshakeHeadersAndAUrlConnectsOnlyOnce() throws Exception {
        JsonNode data = client.endpoint(app.appId(), app.appSecret());
        app.rejectNextHandshakes(1, HandshakeRejection.forbidden("app banned"));
        assertThatThrownBy(() -> client.connect(data.path("URL").asText()))
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> {
                    assertThat(e.getResponse().statusCode()).isEqualTo(403);
                    assertThat(e.getResponse().headers().firstValue("Handshake-Status"))
                            .contains("403");
                    assertThat(e.getResponse().headers().firstValue("Handshake-Msg"))
                            .contains("app banned");
                });

        JsonNode fresh = client.endpoint(app.appId(), app.appSecret());
        client.connect(fresh.path("URL").asText());
        try (LongConnectionClient reuse = new LongConnectionClient(feishu.baseUrl())) {
            assertThatThrownBy(() -> reuse.connect(fresh.path("URL").asText()))
                    .cause()
                    .isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> assertThat(
                                    e.getResponse().headers().firstValue("Handshake-Status"))
                            .contains("514"));
        }
    }

    @Test
    void theConnectionLimitRefusesTheNextHandshakeWithItsAuthErrorCode() throws Exception {
        app.maxConnections(1);
        client.open(app.appId(), app.appSecret());
        app.awaitOpenConnections(1, WAIT);
        try (LongConnectionClient second = new LongConnectionClient(feishu.baseUrl())) {
            assertThatThrownBy(() -> second.open(app.appId(), app.appSecret()))
                    .cause()
                    .isInstanceOfSatisfying(WebSocketHandshakeException.class, e -> {
                        assertThat(e.getResponse().headers().firstValue("Handshake-Status"))
                                .contains("514");
                        assertThat(e.getResponse().headers().firstValue("Handshake-Autherrcode"))
                                .contains("1000040350");
                    });
        }
    }

    // ---------------------------------------------------------------- sending and replying

    @Test
    void aReplyWithTheSameUuidTwiceIsOneMessage() throws Exception {
        FeishuUser alice = app.user("Alice");
        FeishuChat dm = app.p2pChat(alice);
        UserMessage hello = app.userSays(dm, alice, "hello");
        String token = client.token(app.appId(), app.appSecret());
        String body =
                "{\"msg_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"hi Alice\\\"}\",\"uuid\":\"acct-row-42\"}";

        Answer first = client.post(replyPath(hello.messageId()), body, Optional.of(token));
        Answer second = client.post(replyPath(hello.messageId()), body, Optional.of(token));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("code").asInt()).isZero();
        JsonNode data = first.body().path("data");
        assertThat(data.path("message_id").asText()).startsWith("om_");
        assertThat(data.path("parent_id").asText()).isEqualTo(hello.messageId());
        assertThat(data.path("chat_id").asText()).isEqualTo(dm.chatId());
        assertThat(data.path("sender").path("sender_type").asText()).isEqualTo("app");
        assertThat(second.body().path("data").path("message_id").asText())
                .isEqualTo(data.path("message_id").asText());
        assertThat(app.sentTo(dm.chatId())).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("hi Alice");
            assertThat(m.repliedTo()).contains(hello.messageId());
            assertThat(m.uuid()).contains("acct-row-42");
        });

        Answer other = client.post(
                replyPath(hello.messageId()), body.replace("acct-row-42", "acct-row-43"), Optional.of(token));
        assertThat(other.body().path("data").path("message_id").asText())
                .isNotEqualTo(data.path("message_id").asText());
        assertThat(app.sentTo(dm.chatId())).hasSize(2);
    }

    @Test
    void aUuidDeduplicatesOnlyWithinItsWindow() throws Exception {
        FeishuChat room = app.groupChat("Ops");
        String token = client.token(app.appId(), app.appSecret());
        app.uuidWindow(Duration.ofMinutes(60));
        String send = FakeFeishu.MESSAGES_PATH + "?receive_id_type=chat_id";
        client.post(send, textSend(room.chatId(), "one", "u-1"), Optional.of(token));
        feishu.advanceClock(Duration.ofMinutes(61));
        String fresh = client.token(app.appId(), app.appSecret());
        client.post(send, textSend(room.chatId(), "one", "u-1"), Optional.of(fresh));
        assertThat(app.sentTo(room.chatId())).hasSize(2);
    }

    @Test
    void sendingChecksTheReceiverTheContentAndTheBotsMembership() throws Exception {
        FeishuUser alice = app.user("Alice");
        FeishuChat room = app.groupChat("Ops");
        String token = client.token(app.appId(), app.appSecret());
        String send = FakeFeishu.MESSAGES_PATH + "?receive_id_type=chat_id";

        Answer notJson = client.post(
                send,
                "{\"receive_id\":\"" + room.chatId() + "\",\"msg_type\":\"text\",\"content\":\"hi\"}",
                Optional.of(token));
        assertThat(notJson.body().path("code").asInt()).isEqualTo(230001);

        Answer noType = client.post(FakeFeishu.MESSAGES_PATH, textSend(room.chatId(), "hi", null), Optional.of(token));
        assertThat(noType.body().path("code").asInt()).isEqualTo(99992402);
        assertThat(noType.body()
                        .path("error")
                        .path("field_violations")
                        .path(0)
                        .path("field")
                        .asText())
                .isEqualTo("receive_id_type");

        Answer tooLong = client.post(send, textSend(room.chatId(), "x".repeat(160 * 1024), null), Optional.of(token));
        assertThat(tooLong.body().path("code").asInt()).isEqualTo(230025);

        Answer byOpenId = client.post(
                FakeFeishu.MESSAGES_PATH + "?receive_id_type=open_id",
                textSend(alice.openId(), "to the user", null),
                Optional.of(token));
        assertThat(byOpenId.body().path("code").asInt()).isZero();
        assertThat(app.sentTo(app.p2pChat(alice).chatId()))
                .extracting(BotMessage::text)
                .containsExactly("to the user");

        app.removeBotFrom(room);
        Answer outside = client.post(send, textSend(room.chatId(), "hi", null), Optional.of(token));
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.body().path("code").asInt()).isEqualTo(230002);
        assertThat(app.sentTo(room.chatId())).isEmpty();
    }

    @Test
    void aReplyToAWithdrawnMessageFailsWith230011() throws Exception {
        FeishuUser alice = app.user("Alice");
        UserMessage oops = app.userSays(app.p2pChat(alice), alice, "oops");
        app.withdraw(oops.messageId());
        Answer answer = client.post(
                replyPath(oops.messageId()),
                "{\"msg_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"?\\\"}\"}",
                Optional.of(client.token(app.appId(), app.appSecret())));
        assertThat(answer.body().path("code").asInt()).isEqualTo(230011);
        assertThat(app.sent()).isEmpty();
    }

    @Test
    void scriptedFaultsRateLimitFailAndDropTheNextCalls() throws Exception {
        FeishuChat room = app.groupChat("Ops");
        String token = client.token(app.appId(), app.appSecret());
        String send = FakeFeishu.MESSAGES_PATH + "?receive_id_type=chat_id";
        app.failNext(Api.SEND, 1, Fault.rateLimited(7));
        app.failNext(Api.SEND, 1, Fault.serverError(502));
        app.failNext(Api.SEND, 1, Fault.dropConnectionAfterHandling());

        Answer limited = client.post(send, textSend(room.chatId(), "one", null), Optional.of(token));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().path("code").asInt()).isEqualTo(99991400);
        assertThat(limited.headers().get("x-ogw-ratelimit-reset")).containsExactly("7");
        assertThat(client.post(send, textSend(room.chatId(), "two", null), Optional.of(token))
                        .status())
                .isEqualTo(502);
        assertThatThrownBy(() -> client.post(send, textSend(room.chatId(), "three", null), Optional.of(token)))
                .isInstanceOf(java.io.IOException.class);
        assertThat(app.sentTo(room.chatId())).extracting(BotMessage::text).containsExactly("three");
        assertThat(app.callCount(Api.SEND)).isEqualTo(3);
    }

    // ---------------------------------------------------------------- webhook mode

    @Test
    void webhookModePostsEventsAndRetriesUntilA2xx() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(503, 200)) {
            app.ackTimeout(Duration.ofMillis(200)).deliverByWebhook(receiver.url());
            FeishuUser alice = app.user("Alice");
            UserMessage message = app.userSays(app.p2pChat(alice), alice, "over http");
            app.awaitDelivered(message, WAIT);
            WebhookReceiver.Request second = receiver.awaitRequests(2, WAIT).get(1);
            assertThat(LongConnectionClient.JSON
                            .readTree(second.body())
                            .path("header")
                            .path("event_id")
                            .asText())
                    .isEqualTo(message.eventId());
            assertThat(app.webhookDeliveries())
                    .extracting(WebhookDelivery::status)
                    .containsExactly(503, 200);
        }
    }

    @Test
    void webhookBodiesAreEncryptedAndSignedAsThePlatformDoes() throws Exception {
        String encryptKey = "test-encrypt-key";
        app.encryptKey(Optional.of(encryptKey)).verificationToken("vt-123");
        FeishuUser alice = app.user("Alice");
        UserMessage message = app.userSays(app.p2pChat(alice), alice, "secret words");
        try (WebhookReceiver receiver = WebhookReceiver.start(200)) {
            WebhookSender sender = app.webhookSender(receiver.url());
            assertThat(sender.deliver(message).isSuccess()).isTrue();
            WebhookReceiver.Request request = receiver.awaitRequests(1, WAIT).get(0);

            String timestamp = request.header("X-Lark-Request-Timestamp");
            String nonce = request.header("X-Lark-Request-Nonce");
            assertThat(request.header("X-Lark-Signature"))
                    .isEqualTo(IndependentCrypto.signature(timestamp, nonce, encryptKey, request.body()));
            String encrypted = LongConnectionClient.JSON
                    .readTree(request.body())
                    .path("encrypt")
                    .asText();
            JsonNode envelope = LongConnectionClient.JSON.readTree(IndependentCrypto.decrypt(encrypted, encryptKey));
            assertThat(envelope.path("header").path("token").asText()).isEqualTo("vt-123");
            assertThat(envelope.path("header").path("event_id").asText()).isEqualTo(message.eventId());

            sender.withTamperedSignature().deliver(message);
            WebhookReceiver.Request tampered = receiver.awaitRequests(2, WAIT).get(1);
            assertThat(tampered.header("X-Lark-Signature"))
                    .isNotEqualTo(IndependentCrypto.signature(
                            tampered.header("X-Lark-Request-Timestamp"),
                            tampered.header("X-Lark-Request-Nonce"),
                            encryptKey,
                            tampered.body()));

            sender.withVerificationToken("forged").deliver(message);
            String forged = LongConnectionClient.JSON
                    .readTree(receiver.awaitRequests(3, WAIT).get(2).body())
                    .path("encrypt")
                    .asText();
            assertThat(LongConnectionClient.JSON
                            .readTree(IndependentCrypto.decrypt(forged, encryptKey))
                            .path("header")
                            .path("token")
                            .asText())
                    .isEqualTo("forged");
        }
    }

    @Test
    void urlVerificationIsEncryptedUnsignedAndPassesOnlyWhenTheChallengeIsEchoed() throws Exception {
        app.encryptKey(Optional.of("k")).verificationToken("vt");
        try (WebhookReceiver echoing = WebhookReceiver.echoingChallenge("k")) {
            WebhookSender.UrlVerification verification =
                    app.webhookSender(echoing.url()).urlVerification();
            assertThat(verification.passed()).isTrue();
            WebhookReceiver.Request request = echoing.awaitRequests(1, WAIT).get(0);
            assertThat(request.headers()).doesNotContainKey("x-lark-signature");
            JsonNode plain = LongConnectionClient.JSON.readTree(IndependentCrypto.decrypt(
                    LongConnectionClient.JSON
                            .readTree(request.body())
                            .path("encrypt")
                            .asText(),
                    "k"));
            assertThat(plain.path("type").asText()).isEqualTo("url_verification");
            assertThat(plain.path("token").asText()).isEqualTo("vt");
        }
        try (WebhookReceiver silent = WebhookReceiver.start(200)) {
            assertThat(app.webhookSender(silent.url()).urlVerification().passed())
                    .isFalse();
        }
    }

    // ---------------------------------------------------------------- helpers

    private Answer tokenCall(String secret) throws Exception {
        return client.post(
                FakeFeishu.TOKEN_PATH,
                "{\"app_id\":\"" + app.appId() + "\",\"app_secret\":\"" + secret + "\"}",
                Optional.empty());
    }

    private Answer botInfo(Optional<String> token) throws Exception {
        return client.get(FakeFeishu.BOT_INFO_PATH, token);
    }

    private static String replyPath(String messageId) {
        return "/open-apis/im/v1/messages/" + messageId + "/reply";
    }

    private static String textSend(String receiveId, String text, String uuid) {
        var body = LongConnectionClient.JSON.createObjectNode();
        body.put("receive_id", receiveId);
        body.put("msg_type", "text");
        body.put(
                "content",
                LongConnectionClient.JSON.createObjectNode().put("text", text).toString());
        if (uuid != null) {
            body.put("uuid", uuid);
        }
        return body.toString();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
