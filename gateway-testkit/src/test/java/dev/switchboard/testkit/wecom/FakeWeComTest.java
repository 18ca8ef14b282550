package dev.switchboard.testkit.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeWeComTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeWeCom wecom = FakeWeCom.start();
    private final FakeWeComBot bot = wecom.addBot("aibot-alerts", "bot-secret");

    @AfterEach
    void close() {
        wecom.close();
    }

    private AiBotClient subscribed() {
        AiBotClient client = new AiBotClient(wecom.wsUrl());
        assertThat(client.subscribe(bot.botId(), bot.secret()).path("errcode").asInt())
                .isZero();
        return client;
    }

    @Test
    void subscribePingCallbackAndAStreamReplyInThreeFramesGiveOneFinishedReply() {
        try (AiBotClient client = new AiBotClient(wecom.wsUrl())) {
            JsonNode subscribeAck = client.subscribe(bot.botId(), bot.secret());
            assertThat(subscribeAck.has("cmd")).as("acks carry no cmd").isFalse();
            assertThat(subscribeAck.path("errcode").asInt()).isZero();
            assertThat(subscribeAck.path("errmsg").asText()).isEqualTo("ok");
            assertThat(client.ping().path("errcode").asInt()).isZero();

            Callback hello = bot.userSays(WeComChat.group("group_alerts"), "alice", "status?");
            JsonNode callback = client.callback();
            assertThat(callback.path("cmd").asText()).isEqualTo("aibot_msg_callback");
            String reqId = callback.path("headers").path("req_id").asText();
            assertThat(reqId).isEqualTo(hello.reqId());
            JsonNode body = callback.path("body");
            assertThat(body.path("msgid").asText()).isEqualTo(hello.msgid());
            assertThat(body.path("aibotid").asText()).isEqualTo("aibot-alerts");
            assertThat(body.path("chatid").asText()).isEqualTo("group_alerts");
            assertThat(body.path("chattype").asText()).isEqualTo("group");
            assertThat(body.path("from").path("userid").asText()).isEqualTo("alice");
            assertThat(body.path("msgtype").asText()).isEqualTo("text");
            assertThat(body.path("text").path("content").asText()).isEqualTo("status?");

            assertThat(client.stream(reqId, "stream-1", "thinking…", false)
                            .path("errcode")
                            .asInt())
                    .isZero();
            assertThat(bot.streamContent(hello)).contains("thinking…");
            assertThat(bot.replies("group_alerts"))
                    .as("an unfinished stream is not a reply yet")
                    .isEmpty();
            assertThat(client.stream(reqId, "stream-1", "all", false)
                            .path("errcode")
                            .asInt())
                    .isZero();
            assertThat(client.stream(reqId, "stream-1", "all green", true)
                            .path("errcode")
                            .asInt())
                    .isZero();

            BotReply reply = bot.awaitReplyTo(hello, WAIT);
            assertThat(reply.kind()).isEqualTo(BotReply.Kind.STREAM);
            assertThat(reply.content()).isEqualTo("all green");
            assertThat(reply.frames()).isEqualTo(3);
            assertThat(reply.streamId()).contains("stream-1");
            assertThat(reply.reqId()).contains(reqId);
            assertThat(bot.texts("group_alerts")).containsExactly("all green");
            assertThat(bot.framesFor(hello)).hasSize(3).allMatch(ClientFrame::accepted);
            assertThat(bot.pings()).isEqualTo(1);
        }
    }

    @Test
    void aSingleChatCallbackHasNoChatidAndItsConversationIsTheUser() {
        try (AiBotClient client = subscribed()) {
            Callback hi = bot.userSays(WeComChat.single("bob"), "bob", "hi");
            JsonNode body = client.callback().path("body");
            assertThat(body.has("chatid")).isFalse();
            assertThat(body.path("chattype").asText()).isEqualTo("single");
            assertThat(body.path("from").path("userid").asText()).isEqualTo("bob");

            client.stream(hi.reqId(), "s", "hello bob", true);
            assertThat(bot.awaitReplies("bob", 1, WAIT))
                    .extracting(BotReply::content)
                    .containsExactly("hello bob");
        }
    }

    @Test
    void aWrongSecretOrUnknownBotIsRefusedWithAnErrcodeAndTheConnectionStaysUnsubscribed() {
        try (AiBotClient client = new AiBotClient(wecom.wsUrl())) {
            JsonNode refused = client.subscribe(bot.botId(), "wrong-secret");
            assertThat(refused.path("errcode").asInt()).isEqualTo(WeComErrors.INVALID_BOT_CREDENTIALS);
            assertThat(refused.path("errmsg").asText()).contains("bot secret");
            assertThat(client.ping().path("errcode").asInt()).isEqualTo(WeComErrors.NOT_SUBSCRIBED);
            assertThat(bot.refusedSubscriptions()).isEqualTo(1);
            assertThat(bot.subscriptions()).isZero();

            assertThat(client.subscribe("aibot-unknown", bot.secret())
                            .path("errcode")
                            .asInt())
                    .as("an unknown bot id, even with a known secret")
                    .isEqualTo(WeComErrors.INVALID_BOT_CREDENTIALS);
            assertThat(client.subscribe(bot.botId(), bot.secret())
                            .path("errcode")
                            .asInt())
                    .as("the same socket may subscribe again")
                    .isZero();
        }
    }

    @Test
    void aCommandBeforeSubscribingIsAnswered846609() {
        try (AiBotClient client = new AiBotClient(wecom.wsUrl())) {
            JsonNode ack = client.sendMarkdown("group_alerts", "too early");
            assertThat(ack.path("errcode").asInt()).isEqualTo(WeComErrors.NOT_SUBSCRIBED);
            assertThat(ack.path("errmsg").asText()).startsWith("aibot websocket not subscribed");
            assertThat(wecom.unboundFrames()).hasSize(1);
        }
    }

    @Test
    void aSecondSubscriberGetsTheFirstADisconnectedEventAndTheFirstIsClosed() {
        try (AiBotClient first = subscribed();
                AiBotClient second = subscribed()) {
            JsonNode event = first.callback();
            assertThat(event.path("cmd").asText()).isEqualTo("aibot_event_callback");
            assertThat(event.path("body").path("event").path("eventtype").asText())
                    .isEqualTo("disconnected_event");
            assertThat(first.awaitClosed()).isEqualTo(1000);
            bot.awaitOpenConnections(1, WAIT);
            assertThat(bot.connections().get(0).closeReason())
                    .hasValueSatisfying(r -> assertThat(r).startsWith("taken over by"));

            Callback next = bot.userSays(WeComChat.group("group_alerts"), "alice", "still there?");
            assertThat(second.callback().path("headers").path("req_id").asText())
                    .isEqualTo(next.reqId());
        }
    }

    @Test
    void takeOverPlaysTheSecondClient() {
        try (AiBotClient client = subscribed()) {
            assertThat(bot.takeOver()).isEqualTo(1);
            assertThat(client.callback()
                            .path("body")
                            .path("event")
                            .path("eventtype")
                            .asText())
                    .isEqualTo("disconnected_event");
            assertThat(client.awaitClosed()).isEqualTo(1000);
        }
    }

    @Test
    void aStreamNotFinishedWithinTheReplyWindowExpires() {
        try (AiBotClient client = subscribed()) {
            Callback slow = bot.userSays(WeComChat.group("group_alerts"), "alice", "slow one");
            Callback never = bot.userSays(WeComChat.group("group_alerts"), "alice", "never answered");
            client.callback();
            client.callback();
            assertThat(client.stream(slow.reqId(), "s", "working", false)
                            .path("errcode")
                            .asInt())
                    .isZero();

            wecom.advanceClock(Duration.ofMinutes(6).plusSeconds(1));
            JsonNode late = client.stream(slow.reqId(), "s", "done", true);
            assertThat(late.path("errcode").asInt()).isEqualTo(WeComErrors.STREAM_EXPIRED);
            assertThat(late.path("errmsg").asText()).startsWith("stream message update expired");
            assertThat(client.stream(never.reqId(), "t", "sorry", true)
                            .path("errcode")
                            .asInt())
                    .isEqualTo(WeComErrors.INVALID_REQ_ID);
            assertThat(bot.replies()).isEmpty();

            // the fallback the issue asks for: a proactive markdown to the same conversation
            assertThat(client.sendMarkdown("group_alerts", "done")
                            .path("errcode")
                            .asInt())
                    .isZero();
            assertThat(bot.replies("group_alerts")).singleElement().satisfies(r -> assertThat(r.kind())
                    .isEqualTo(BotReply.Kind.SEND));
        }
    }

    @Test
    void theStreamRulesAreEnforcedFrameByFrame() {
        try (AiBotClient client = subscribed()) {
            Callback hi = bot.userSays(WeComChat.single("bob"), "bob", "hi");
            client.callback();
            String over = "字".repeat(FakeWeComBot.MAX_CONTENT_BYTES / 3 + 1); // 3 bytes each in UTF-8
            assertThat(client.stream(hi.reqId(), "s", over, false)
                            .path("errcode")
                            .asInt())
                    .isEqualTo(WeComErrors.INVALID_PARAMETER);
            String exactly = "a".repeat(FakeWeComBot.MAX_CONTENT_BYTES);
            assertThat(client.stream(hi.reqId(), "s", exactly, false)
                            .path("errcode")
                            .asInt())
                    .isZero();
            assertThat(client.stream(hi.reqId(), "other", "x", false)
                            .path("errcode")
                            .asInt())
                    .as("one stream per callback")
                    .isEqualTo(WeComErrors.ALREADY_RESPONDED);
            assertThat(client.stream("no-such-req-id", "s", "x", false)
                            .path("errcode")
                            .asInt())
                    .isEqualTo(WeComErrors.INVALID_REQ_ID);

            var text = AiBotClient.JSON.createObjectNode().put("msgtype", "text");
            text.putObject("text").put("content", "plain");
            assertThat(client.ack(client.send("aibot_respond_msg", hi.reqId(), text))
                            .path("errcode")
                            .asInt())
                    .as("a text passive reply is allowed for welcomes only")
                    .isEqualTo(WeComErrors.INVALID_MESSAGE_TYPE);

            Callback carded = bot.userSays(WeComChat.single("bob"), "bob", "a card please");
            client.callback();
            var card = AiBotClient.JSON.createObjectNode().put("msgtype", "template_card");
            card.putObject("template_card").put("card_type", "text_notice");
            assertThat(client.ack(client.send("aibot_respond_msg", carded.reqId(), card))
                            .path("errcode")
                            .asInt())
                    .isZero();
            assertThat(client.stream(carded.reqId(), "c", "and a stream", true)
                            .path("errcode")
                            .asInt())
                    .as("a card answers the callback once")
                    .isEqualTo(WeComErrors.ALREADY_RESPONDED);

            assertThat(client.stream(hi.reqId(), "s", "final", true)
                            .path("errcode")
                            .asInt())
                    .isZero();
            assertThat(client.stream(hi.reqId(), "s", "after the end", true)
                            .path("errcode")
                            .asInt())
                    .isEqualTo(WeComErrors.STREAM_EXPIRED);
            assertThat(bot.replies("bob"))
                    .extracting(BotReply::kind)
                    .containsExactly(BotReply.Kind.CARD_OR_MEDIA, BotReply.Kind.STREAM);
            assertThat(bot.texts("bob")).last().isEqualTo("final");
        }
    }

    @Test
    void aClientThatStopsPingingIsCutAfterTheHeartbeatTimeoutAndOneThatPingsIsNot() throws Exception {
        wecom.heartbeatTimeout(Duration.ofMillis(1500)); // 15 pings' worth of slack for the pinging client
        FakeWeComBot other = wecom.addBot("aibot-other", "other-secret");
        try (AiBotClient silent = subscribed();
                AiBotClient pinging = new AiBotClient(wecom.wsUrl())) {
            assertThat(pinging.subscribe(other.botId(), other.secret())
                            .path("errcode")
                            .asInt())
                    .isZero();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!silent.isClosed() && System.nanoTime() < deadline) {
                assertThat(pinging.ping().path("errcode").asInt()).isZero();
                Thread.sleep(100);
            }
            assertThat(silent.awaitClosed()).isEqualTo(1006);
            assertThat(bot.connections().get(0).closeReason()).contains("heartbeat timeout");
            assertThat(pinging.ping().path("errcode").asInt())
                    .as("the pinging client is still served")
                    .isZero();
            assertThat(other.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void enterChatIsAnsweredWithAWelcomeWithinItsWindowOnly() {
        try (AiBotClient client = subscribed()) {
            Callback entered = bot.userEntersChat("carol");
            JsonNode event = client.callback();
            assertThat(event.path("cmd").asText()).isEqualTo("aibot_event_callback");
            assertThat(event.path("body").path("msgtype").asText()).isEqualTo("event");
            assertThat(event.path("body").path("event").path("eventtype").asText())
                    .isEqualTo("enter_chat");
            assertThat(client.stream(entered.reqId(), "s", "hi", true)
                            .path("errcode")
                            .asInt())
                    .as("an event's req_id takes no stream")
                    .isEqualTo(WeComErrors.INVALID_REQ_ID);
            assertThat(client.welcome(entered.reqId(), "Welcome!")
                            .path("errcode")
                            .asInt())
                    .isZero();
            assertThat(client.welcome(entered.reqId(), "Again!").path("errcode").asInt())
                    .isEqualTo(WeComErrors.ALREADY_RESPONDED);
            assertThat(bot.replies("carol")).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo(BotReply.Kind.WELCOME);
                assertThat(r.content()).isEqualTo("Welcome!");
            });

            Callback late = bot.userEntersChat("dave");
            client.callback();
            wecom.advanceClock(Duration.ofSeconds(6));
            assertThat(client.welcome(late.reqId(), "Welcome!").path("errcode").asInt())
                    .isEqualTo(WeComErrors.INVALID_REQ_ID);
        }
    }

    @Test
    void aProactiveSendIsMarkdownToAChatid() {
        try (AiBotClient client = subscribed()) {
            assertThat(client.sendMarkdown("group_alerts", "**disk** full")
                            .path("errcode")
                            .asInt())
                    .isZero();
            assertThat(bot.replies("group_alerts")).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo(BotReply.Kind.SEND);
                assertThat(r.msgType()).isEqualTo("markdown");
                assertThat(r.content()).isEqualTo("**disk** full");
            });

            var text = AiBotClient.JSON
                    .createObjectNode()
                    .put("chatid", "group_alerts")
                    .put("msgtype", "text");
            text.putObject("text").put("content", "plain");
            String reqId = client.send("aibot_send_msg", AiBotClient.reqId("aibot_send_msg"), text);
            assertThat(client.ack(reqId).path("errcode").asInt()).isEqualTo(WeComErrors.INVALID_MESSAGE_TYPE);
            assertThat(client.sendMarkdown("", "to nobody").path("errcode").asInt())
                    .isEqualTo(WeComErrors.INVALID_PARAMETER);
            assertThat(bot.replies()).hasSize(1);
        }
    }

    @Test
    void scriptedErrcodesRefuseWithoutShowingAndTheRetryIsShownOnce() {
        try (AiBotClient client = subscribed()) {
            Callback hi = bot.userSays(WeComChat.single("bob"), "bob", "hi");
            client.callback();
            bot.failNext(Command.RESPOND_MSG, 1, Fault.rateLimited());
            bot.failNext(Command.SEND_MSG, 1, Fault.invalidParameter("chatid"));

            JsonNode limited = client.stream(hi.reqId(), "s", "answer", true);
            assertThat(limited.path("errcode").asInt()).isEqualTo(WeComErrors.SEND_FREQ_OUT_OF_LIMIT);
            assertThat(bot.replies()).isEmpty();
            assertThat(client.stream(hi.reqId(), "s", "answer", true)
                            .path("errcode")
                            .asInt())
                    .isZero();
            JsonNode permanent = client.sendMarkdown("bob", "note");
            assertThat(permanent.path("errcode").asInt()).isEqualTo(WeComErrors.INVALID_PARAMETER);
            assertThat(permanent.path("errmsg").asText()).contains("chatid");
            assertThat(bot.texts("bob")).containsExactly("answer");
        }
    }

    @Test
    void aMissingAckLeavesTheFrameShownButUnacknowledged() {
        try (AiBotClient client = subscribed()) {
            Callback hi = bot.userSays(WeComChat.single("bob"), "bob", "hi");
            client.callback();
            bot.failNext(Command.RESPOND_MSG, 1, Fault.noAck());
            String reqId = client.sendStream(hi.reqId(), "s", "answer", true);
            client.ping(); // a sentinel on the same socket: its ack comes, the reply's did not
            assertThat(client.has(f -> !f.has("cmd")
                            && reqId.equals(f.path("headers").path("req_id").asText())))
                    .isFalse();
            assertThat(bot.texts("bob")).containsExactly("answer");
            assertThat(bot.framesFor(hi)).singleElement().satisfies(f -> assertThat(f.errcode())
                    .isEmpty());
        }
    }

    @Test
    void aDelayedAckShowsWhetherTheClientWaitsForEachAckBeforeTheNextFrame() {
        try (AiBotClient client = subscribed()) {
            Callback patient = bot.userSays(WeComChat.single("bob"), "bob", "one");
            Callback hasty = bot.userSays(WeComChat.single("bob"), "bob", "two");
            client.callback();
            client.callback();
            bot.failNext(Command.RESPOND_MSG, 3, Fault.delayAck(Duration.ofMillis(300)));

            client.stream(patient.reqId(), "p", "thinking", false); // waits for the late ack
            client.stream(patient.reqId(), "p", "done", true);
            assertThat(bot.framesBeforeAck()).isZero();

            client.sendStream(hasty.reqId(), "h", "thinking", false); // its ack is held back 300 ms
            client.stream(hasty.reqId(), "h", "done", true);
            assertThat(bot.framesBeforeAck()).isEqualTo(1);
            assertThat(bot.texts("bob")).containsExactly("done", "done");
        }
    }

    @Test
    void aDroppedSocketCutsTheConnectionWithoutACloseFrame() {
        try (AiBotClient client = subscribed()) {
            bot.failNext(Command.SEND_MSG, 1, Fault.dropConnection());
            client.send("aibot_send_msg", AiBotClient.reqId("aibot_send_msg"), AiBotClient.JSON.createObjectNode());
            assertThat(client.awaitClosed()).isEqualTo(1006);
            assertThat(bot.replies()).isEmpty();
        }
    }

    @Test
    void callbacksWaitForASubscriberAndFollowTheSubscribeAck() {
        Callback early = bot.userSays(WeComChat.group("group_alerts"), "alice", "anyone?");
        assertThat(bot.waitingCallbacks()).isEqualTo(1);
        try (AiBotClient client = subscribed()) {
            assertThat(client.callback().path("body").path("msgid").asText()).isEqualTo(early.msgid());
            assertThat(bot.pushed()).containsExactly(early);
        }
    }

    @Test
    void aRedeliveryKeepsTheMsgidUnderAFreshReqId() {
        bot.redeliverUnansweredAfter(Duration.ofMillis(200));
        try (AiBotClient client = subscribed()) {
            Callback hi = bot.userSays(WeComChat.single("bob"), "bob", "hi");
            client.callback();
            JsonNode again = client.callback(); // no reply frame came: pushed again
            assertThat(again.path("body").path("msgid").asText()).isEqualTo(hi.msgid());
            assertThat(again.path("headers").path("req_id").asText()).isNotEqualTo(hi.reqId());

            Callback scripted = bot.redeliver(hi);
            assertThat(scripted.msgid()).isEqualTo(hi.msgid());
            assertThat(scripted.reqId()).isNotEqualTo(hi.reqId());
            assertThat(bot.redeliveries()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void voiceMixedImageAndFileArriveInThePlatformsShapes() {
        try (AiBotClient client = subscribed()) {
            WeComChat group = WeComChat.group("group_alerts");
            bot.userSendsVoice(group, "alice", "restart the job");
            bot.userSendsMixed(group, "alice", List.of(MixedItem.text("look"), MixedItem.image()));
            bot.userSendsImage(group, "alice");
            bot.userSendsFile(group, "alice");

            assertThat(client.callback()
                            .path("body")
                            .path("voice")
                            .path("content")
                            .asText())
                    .isEqualTo("restart the job");
            JsonNode items = client.callback().path("body").path("mixed").path("msg_item");
            assertThat(items.get(0).path("text").path("content").asText()).isEqualTo("look");
            assertThat(items.get(1).path("msgtype").asText()).isEqualTo("image");
            assertThat(items.get(1).path("image").path("url").asText()).startsWith(wecom.baseUrl());
            assertThat(client.callback()
                            .path("body")
                            .path("image")
                            .path("aeskey")
                            .asText())
                    .isNotEmpty();
            assertThat(client.callback().path("body").path("file").path("url").asText())
                    .isNotEmpty();
        }
    }

    @Test
    void malformedPayloadsAreDeliveredAsNamed() {
        WeComChat group = WeComChat.group("group_alerts");
        for (String name : FakeWeComBot.malformedPayloads()) {
            bot.deliverMalformed(group, name); // no subscriber yet: they wait for one
        }
        try (AiBotClient client = subscribed()) {
            assertThat(client.take(JsonNode::isTextual, "the frame that is not JSON")
                            .asText())
                    .startsWith("{\"cmd\":\"aibot_msg_callback\"");
            assertThat(client.callback().has("body")).isFalse();
            assertThat(client.callback().path("body").has("msgtype")).isFalse();
            assertThat(client.callback().path("body").path("text").has("content"))
                    .isFalse();
            assertThatThrownBy(() -> bot.deliverMalformed(group, "nonsense")).hasMessageContaining("not-json");
        }
    }

    @Test
    void aSilencedConnectionStaysOpenButAnswersNothing() {
        try (AiBotClient client = subscribed()) {
            bot.silenceConnections();
            String reqId = client.send("ping", AiBotClient.reqId("ping"), null);
            bot.awaitCondition(
                    "the ping recorded",
                    () -> bot.frames().stream().anyMatch(f -> f.reqId().equals(Optional.of(reqId))),
                    WAIT);
            assertThat(bot.frames(Command.PING)).singleElement().satisfies(f -> assertThat(f.errcode())
                    .isEmpty());
            Callback held = bot.userSays(WeComChat.single("bob"), "bob", "hello?");
            assertThat(bot.waitingCallbacks()).isEqualTo(1);
            assertThat(bot.pushed()).doesNotContain(held);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void closeAndSeverEndTheConnectionsAndTheFakesThreadsAreNamed() {
        try (AiBotClient closed = subscribed()) {
            assertThat(bot.closeConnections()).isEqualTo(1);
            assertThat(closed.awaitClosed()).isEqualTo(1000);
        }
        try (AiBotClient severed = subscribed()) {
            assertThat(bot.severConnections()).isEqualTo(1);
            assertThat(severed.awaitClosed()).isEqualTo(1006);
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .anyMatch(name -> name.startsWith(wecom.threadNamePrefix() + " I/O")
                        || name.startsWith(wecom.threadNamePrefix() + "-timer"));
    }
}
