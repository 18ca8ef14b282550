package dev.switchboard.testkit.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import com.lark.oapi.Client;
import com.lark.oapi.event.EventDispatcher;
import com.lark.oapi.service.im.ImService;
import com.lark.oapi.service.im.v1.model.CreateMessageReq;
import com.lark.oapi.service.im.v1.model.CreateMessageReqBody;
import com.lark.oapi.service.im.v1.model.CreateMessageResp;
import com.lark.oapi.service.im.v1.model.P2MessageReceiveV1;
import com.lark.oapi.service.im.v1.model.ReplyMessageReq;
import com.lark.oapi.service.im.v1.model.ReplyMessageReqBody;
import com.lark.oapi.service.im.v1.model.ReplyMessageResp;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform's official Java SDK ({@code com.larksuite.oapi:oapi-sdk}) against the fake: its long-connection
 * client ({@code com.lark.oapi.ws.Client}: bootstrap, generated pbbp2 code, pings, fragment reassembly,
 * acknowledgements) and its IM API client (token, reply, send). What the SDK accepts, a channel written from the
 * same documentation will meet on the real platform.
 */
class FakeFeishuOfficialSdkTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private FakeFeishu feishu;
    private FakeFeishuApp app;

    @BeforeEach
    void start() {
        feishu = FakeFeishu.start();
        app = feishu.addApp(FakeFeishu.newAppId(), "official-sdk-secret", "SDK Bot");
        // ping every second; never reconnect, so the SDK (which has no stop method) goes quiet when the fake closes
        app.clientConfig(new ClientConfig(0, 1, 0, 1));
    }

    @AfterEach
    void stop() {
        feishu.close();
    }

    @Test
    void theOfficialWebSocketClientReceivesAcknowledgesAndReassemblesEvents() throws Exception {
        BlockingQueue<P2MessageReceiveV1> received = new LinkedBlockingQueue<>();
        AtomicInteger failuresLeft = new AtomicInteger(1);
        EventDispatcher dispatcher = EventDispatcher.newBuilder("", "")
                .onP2MessageReceiveV1(new ImService.P2MessageReceiveV1Handler() {
                    @Override
                    public void handle(P2MessageReceiveV1 event) {
                        received.add(event);
                        if (event.getEvent().getMessage().getContent().contains("fail once")
                                && failuresLeft.getAndDecrement() > 0) {
                            throw new IllegalStateException("handler failed: the SDK acknowledges with code 500");
                        }
                    }
                })
                .build();
        new com.lark.oapi.ws.Client.Builder(app.appId(), app.appSecret())
                .eventHandler(dispatcher)
                .domain(feishu.baseUrl())
                .build()
                .start();
        app.awaitOpenConnections(1, WAIT);

        FeishuUser alice = app.user("Alice");
        FeishuChat room = app.groupChat("oc_ops_room", "Ops");
        UserMessage hello = app.userMentionsBot(room, alice, "hello from the fake");
        P2MessageReceiveV1 event = poll(received);
        assertThat(event.getHeader().getEventId()).isEqualTo(hello.eventId());
        assertThat(event.getEvent().getMessage().getMessageId()).isEqualTo(hello.messageId());
        assertThat(event.getEvent().getMessage().getChatId()).isEqualTo("oc_ops_room");
        assertThat(event.getEvent().getMessage().getChatType()).isEqualTo("group");
        assertThat(event.getEvent().getMessage().getContent()).isEqualTo("{\"text\":\"@_user_1 hello from the fake\"}");
        assertThat(event.getEvent().getMessage().getMentions()[0].getId().getOpenId())
                .isEqualTo(app.botOpenId());
        assertThat(event.getEvent().getSender().getSenderId().getOpenId()).isEqualTo(alice.openId());
        Ack ack = app.awaitAck(hello, WAIT);
        assertThat(ack.bizRt()).isPresent();

        // The SDK handles each fragment on its own pool thread and its reassembly buffer is not synchronized: the
        // event may reach the handler twice, or not at all and then again from a re-push. Either way it arrives.
        app.fragmentEvents(4, FragmentOrder.REVERSED);
        UserMessage longOne = app.userSays(room, alice, "a long message ".repeat(200));
        app.awaitAck(longOne, WAIT);
        assertThat(received)
                .anySatisfy(e -> assertThat(e.getHeader().getEventId()).isEqualTo(longOne.eventId()));

        app.fragmentEvents(1, FragmentOrder.IN_ORDER);
        UserMessage flaky = app.userSays(room, alice, "fail once");
        app.awaitAck(flaky, WAIT); // after the handler's failure was acknowledged with 500 and re-pushed
        assertThat(received)
                .filteredOn(e -> e.getHeader().getEventId().equals(flaky.eventId()))
                .hasSize(2);
        assertThat(app.acks())
                .filteredOn(a -> a.eventId().equals(java.util.Optional.of(flaky.eventId())))
                .extracting(Ack::code)
                .containsExactly(500, 200);

        app.awaitPings(1, WAIT); // the SDK pings on the interval the fake's ClientConfig set
    }

    @Test
    void theOfficialApiClientRepliesAndSendsWithUuidDeduplication() throws Exception {
        FeishuUser bob = app.user("Bob");
        FeishuChat dm = app.p2pChat(bob);
        UserMessage question = app.userSays(dm, bob, "what time is it?");
        Client client = Client.newBuilder(app.appId(), app.appSecret())
                .openBaseUrl(feishu.baseUrl())
                .requestTimeout(10, TimeUnit.SECONDS)
                .build();

        ReplyMessageReq reply = ReplyMessageReq.newBuilder()
                .messageId(question.messageId())
                .replyMessageReqBody(ReplyMessageReqBody.newBuilder()
                        .msgType("text")
                        .content("{\"text\":\"noon\"}")
                        .uuid("switchboard-work-row-7")
                        .build())
                .build();
        ReplyMessageResp first = client.im().message().reply(reply);
        ReplyMessageResp again = client.im().message().reply(reply);
        assertThat(first.success()).as(first.getMsg()).isTrue();
        assertThat(again.getData().getMessageId()).isEqualTo(first.getData().getMessageId());
        assertThat(first.getData().getParentId()).isEqualTo(question.messageId());

        CreateMessageResp sent = client.im()
                .message()
                .create(CreateMessageReq.newBuilder()
                        .receiveIdType("chat_id")
                        .createMessageReqBody(CreateMessageReqBody.newBuilder()
                                .receiveId(dm.chatId())
                                .msgType("text")
                                .content("{\"text\":\"also: lunch\"}")
                                .build())
                        .build());
        assertThat(sent.success()).as(sent.getMsg()).isTrue();

        assertThat(app.sentTo(dm.chatId())).extracting(BotMessage::text).containsExactly("noon", "also: lunch");
        assertThat(app.callCount(Api.TOKEN)).isEqualTo(1); // the SDK caches the token, as a channel must

        app.removeBotFrom(dm);
        ReplyMessageResp refused = client.im()
                .message()
                .reply(ReplyMessageReq.newBuilder()
                        .messageId(question.messageId())
                        .replyMessageReqBody(ReplyMessageReqBody.newBuilder()
                                .msgType("text")
                                .content("{\"text\":\"still there?\"}")
                                .build())
                        .build());
        assertThat(refused.getCode()).isEqualTo(Fault.BOT_NOT_IN_CHAT);
        assertThat(app.sentTo(dm.chatId())).hasSize(2);
    }

    private static P2MessageReceiveV1 poll(BlockingQueue<P2MessageReceiveV1> received) throws InterruptedException {
        P2MessageReceiveV1 event = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event)
                .as("an event delivered to the SDK's handler within " + WAIT)
                .isNotNull();
        return event;
    }
}
