package dev.switchboard.channel.feishu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.feishu.internal.MessageEvents.Ignored;
import dev.switchboard.channel.feishu.internal.MessageEvents.Malformed;
import dev.switchboard.channel.feishu.internal.MessageEvents.Message;
import dev.switchboard.channel.feishu.internal.MessageEvents.Read;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.feishu.FeishuChat;
import dev.switchboard.testkit.feishu.FeishuUser;
import dev.switchboard.testkit.feishu.UserMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessageEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String BOT = "ou_bot0000000000000000000000000001";

    // the reference's envelope (chat-platforms.md §2.4), with a group chat mentioning the bot
    private static final String REFERENCE =
            """
            {"schema":"2.0",
             "header":{"event_id":"eaf3c1","event_type":"im.message.receive_v1","create_time":"1774004563541",
                       "token":"","app_id":"cli_a1b2c3d4e5f6a7b8","tenant_key":"tk"},
             "event":{"sender":{"sender_id":{"open_id":"ou_alice","union_id":"on_alice","user_id":"f865491f"},
                                "sender_type":"user","tenant_key":"tk"},
                      "message":{"message_id":"om_1","root_id":"","parent_id":"",
                                 "chat_id":"oc_room","chat_type":"group","message_type":"text",
                                 "content":"{\\"text\\":\\"@_user_1 hello\\"}","create_time":"1774004563541",
                                 "update_time":"1774004563541",
                                 "mentions":[{"key":"@_user_1","id":{"open_id":"%s","union_id":"on_b","user_id":""},
                                              "name":"Bot","tenant_key":"tk","mentioned_type":"bot"}],
                                 "user_agent":"Mozilla"}}}"""
                    .formatted(BOT);

    private static FakeFeishu feishu;
    private static FakeFeishuApp app;

    private final MessageEvents events = new MessageEvents("feishu", "work", true, () -> BOT);

    @BeforeAll
    static void startFake() {
        feishu = FakeFeishu.start();
        app = feishu.addApp(FakeFeishu.newAppId(), "secret", "Switchboard Bot");
    }

    @AfterAll
    static void stopFake() {
        feishu.close();
    }

    private static ObjectNode reference() throws Exception {
        return (ObjectNode) JSON.readTree(REFERENCE);
    }

    private static ObjectNode message(ObjectNode envelope) {
        return (ObjectNode) envelope.path("event").path("message");
    }

    private Read read(ObjectNode envelope) {
        return events.read(envelope.toString().getBytes(StandardCharsets.UTF_8), NOW);
    }

    private InboundMessage inbound(Read read) {
        assertThat(read).isInstanceOf(Message.class);
        return ((Message) read).message();
    }

    private String ignored(Read read) {
        assertThat(read).isInstanceOf(Ignored.class);
        return ((Ignored) read).reason();
    }

    private String malformed(Read read) {
        assertThat(read).isInstanceOf(Malformed.class);
        return ((Malformed) read).reason();
    }

    private static ObjectNode withContent(ObjectNode envelope, String type, String content) {
        message(envelope).put("message_type", type).put("content", content);
        return envelope;
    }

    @Test
    void theReferenceEnvelopeBecomesAMessageWithoutTheBotsMention() throws Exception {
        InboundMessage message = inbound(read(reference()));

        assertThat(message.channelId()).isEqualTo("feishu");
        assertThat(message.accountId()).isEqualTo("work");
        assertThat(message.conversationId()).isEqualTo("oc_room");
        assertThat(message.threadId()).isEmpty();
        assertThat(message.senderId()).isEqualTo("ou_alice");
        assertThat(message.platformMessageId()).isEqualTo("om_1");
        assertThat(message.text()).isEqualTo("hello");
        assertThat(message.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void theSameEventReadTwiceGivesTheSamePlatformMessageIdForDedup() throws Exception {
        assertThat(inbound(read(reference())).platformMessageId())
                .isEqualTo(inbound(read(reference())).platformMessageId());
    }

    @Test
    void aTopicThreadMessageCarriesItsThreadId() throws Exception {
        ObjectNode envelope = reference();
        message(envelope).put("root_id", "om_0").put("parent_id", "om_0").put("thread_id", "omt_9");

        assertThat(inbound(read(envelope)).threadId()).contains("omt_9");
    }

    @Test
    void mentionsOfOthersBecomeTheirNamesAndTheBotsAreRemovedWherever() throws Exception {
        ObjectNode envelope = reference();
        message(envelope).put("content", "{\"text\":\"ask @_user_2 and @_user_10 about it @_user_1 please @_all\"}");
        message(envelope)
                .withArray("mentions")
                .addObject()
                .put("key", "@_user_2")
                .put("name", "Carol")
                .put("mentioned_type", "user")
                .putObject("id")
                .put("open_id", "ou_carol");
        message(envelope)
                .withArray("mentions")
                .addObject()
                .put("key", "@_user_10")
                .put("name", "Dan")
                .putObject("id")
                .put("open_id", "ou_dan");

        assertThat(inbound(read(envelope)).text()).isEqualTo("ask @Carol and @Dan about it please @all");
    }

    @Test
    void aMessageThatIsOnlyTheMentionStillHasText() throws Exception {
        ObjectNode envelope = reference();
        message(envelope).put("content", "{\"text\":\"@_user_1\"}");

        assertThat(inbound(read(envelope)).text()).isEqualTo("@Bot");
    }

    @Test
    void aGroupMessageWithoutTheBotsMentionIsIgnoredWhenRequireMention() throws Exception {
        ObjectNode envelope = reference();
        message(envelope).put("content", "{\"text\":\"@_user_1 hello\"}");
        ((ObjectNode) message(envelope).withArray("mentions").get(0).get("id")).put("open_id", "ou_other_bot");

        assertThat(ignored(read(envelope))).contains("om_1").contains("does not mention the bot");
        // the same message is read when mentions are not required
        assertThat(new MessageEvents("feishu", "work", false, () -> BOT).read(envelope, NOW))
                .isInstanceOf(Message.class);
    }

    @Test
    void theMentionIsMatchedByOpenIdNotByName() throws Exception {
        ObjectNode envelope = reference();
        ((ObjectNode) message(envelope).withArray("mentions").get(0)).put("name", "Someone Else");

        assertThat(inbound(read(envelope)).text()).isEqualTo("hello");
    }

    @Test
    void aP2pMessageNeedsNoMention() throws Exception {
        ObjectNode envelope = reference();
        message(envelope)
                .put("chat_type", "p2p")
                .put("content", "{\"text\":\"hi there\"}")
                .remove("mentions");

        assertThat(inbound(read(envelope)).text()).isEqualTo("hi there");
    }

    @Test
    void theBotsOwnMessagesAndOtherAppsAreIgnored() throws Exception {
        ObjectNode fromApp = reference();
        ((ObjectNode) fromApp.path("event").path("sender")).put("sender_type", "app");
        assertThat(ignored(read(fromApp))).contains("om_1").contains("app or bot");

        ObjectNode fromBot = reference();
        ((ObjectNode) fromBot.path("event").path("sender").path("sender_id")).put("open_id", BOT);
        assertThat(ignored(read(fromBot))).contains("om_1");
    }

    @Test
    void otherEventTypesAreIgnoredNamingTheType() throws Exception {
        ObjectNode envelope = reference();
        ((ObjectNode) envelope.path("header")).put("event_type", "im.chat.member.bot.added_v1");

        assertThat(ignored(read(envelope))).contains("eaf3c1").contains("im.chat.member.bot.added_v1");
    }

    @Test
    void aPostIsFlattenedToItsTitleAndLines() throws Exception {
        String post = JSON.createObjectNode()
                .put("title", "Weekly")
                .set(
                        "content",
                        JSON.readTree(
                                """
                                [[{"tag":"at","user_id":"@_user_1","user_name":"Bot"},{"tag":"text","text":" deploy "},
                                  {"tag":"a","text":"the plan","href":"https://x"},{"tag":"at","user_id":"@_user_2","user_name":"Carol"}],
                                 [{"tag":"img","image_key":"img_1"}],
                                 [{"tag":"emotion","emoji_type":"SMILE"},{"tag":"text","text":" ok"}]]"""))
                .toString();
        ObjectNode envelope = withContent(reference(), "post", post);
        message(envelope)
                .withArray("mentions")
                .addObject()
                .put("key", "@_user_2")
                .put("name", "Carol")
                .putObject("id")
                .put("open_id", "ou_carol");

        assertThat(inbound(read(envelope)).text()).isEqualTo("Weekly\ndeploy the plan@Carol\n[image]\n:SMILE: ok");
    }

    @Test
    void aPostKeyedByLanguageIsReadInItsLanguage() throws Exception {
        ObjectNode envelope = withContent(
                reference(), "post", "{\"zh_cn\":{\"title\":\"\",\"content\":[[{\"tag\":\"text\",\"text\":\"你好\"}]]}}");

        assertThat(inbound(read(envelope)).text()).isEqualTo("你好");
    }

    @Test
    void otherTypesAreSummarisedAsText() throws Exception {
        assertThat(inbound(read(withContent(reference(), "image", "{\"image_key\":\"img_v2_1\"}")))
                        .text())
                .isEqualTo("[image]");
        assertThat(inbound(read(withContent(reference(), "file", "{\"file_key\":\"f\",\"file_name\":\"a.pdf\"}")))
                        .text())
                .isEqualTo("[file: a.pdf]");
        assertThat(inbound(read(withContent(reference(), "audio", "{\"file_key\":\"f\",\"duration\":2000}")))
                        .text())
                .isEqualTo("[audio]");
        assertThat(inbound(read(withContent(reference(), "sticker", "{\"file_key\":\"f\"}")))
                        .text())
                .isEqualTo("[sticker]");
        assertThat(inbound(read(withContent(reference(), "media", "{\"file_key\":\"f\",\"file_name\":\"v.mp4\"}")))
                        .text())
                .isEqualTo("[video: v.mp4]");
        assertThat(inbound(read(withContent(reference(), "hongbao", "{}"))).text())
                .isEqualTo("[hongbao]");
    }

    @Test
    void badJsonIsMalformedWithItsPositionAndNotItsContent() {
        Read read = events.read("{\"schema\":\"2.0\", secret-words".getBytes(StandardCharsets.UTF_8), NOW);

        assertThat(malformed(read)).contains("not JSON").contains("column").doesNotContain("secret-words");
    }

    @Test
    void aContentThatIsNotAJsonStringIsMalformed() throws Exception {
        ObjectNode envelope = reference();
        message(envelope).putObject("content").put("text", "hello");
        assertThat(malformed(read(envelope)))
                .contains("om_1")
                .contains("content is a object")
                .contains("expected");

        message(envelope).put("content", "hello, not json");
        assertThat(malformed(read(envelope)))
                .contains("not a JSON object string")
                .doesNotContain("hello, not json");
    }

    @Test
    void aTextWithoutTextIsMalformed() throws Exception {
        ObjectNode envelope = reference();
        message(envelope).put("content", "{\"words\":\"hello\"}");

        assertThat(malformed(read(envelope))).contains("has no text");
    }

    @Test
    void missingIdsAreMalformedNamingTheField() throws Exception {
        ObjectNode noChat = reference();
        message(noChat).remove("chat_id");
        assertThat(malformed(read(noChat)))
                .contains("om_1")
                .contains("chat_id is missing")
                .contains("oc_");

        ObjectNode noMessageId = reference();
        message(noMessageId).remove("message_id");
        assertThat(malformed(read(noMessageId))).contains("eaf3c1").contains("message_id is missing");

        ObjectNode noSender = reference();
        ((ObjectNode) noSender.path("event").path("sender")).remove("sender_id");
        assertThat(malformed(read(noSender))).contains("open_id");

        ObjectNode noType = reference();
        ((ObjectNode) noType.path("header")).remove("event_type");
        assertThat(malformed(read(noType))).contains("event_type is missing");

        assertThat(malformed(events.read("[1,2]".getBytes(StandardCharsets.UTF_8), NOW)))
                .contains("array");
    }

    @Test
    void nestingPastTheLimitIsMalformed() throws Exception {
        String deep = "[".repeat(MessageEvents.MAX_NESTING + 10) + "]".repeat(MessageEvents.MAX_NESTING + 10);
        String envelope = REFERENCE.replace("\"user_agent\":\"Mozilla\"", "\"user_agent\":" + deep);
        assertThat(malformed(events.read(envelope.getBytes(StandardCharsets.UTF_8), NOW)))
                .contains("deeper than " + MessageEvents.MAX_NESTING);

        // and inside the content string
        ObjectNode deepContent = withContent(reference(), "text", "{\"text\":\"a\",\"x\":" + deep + "}");
        assertThat(malformed(read(deepContent))).contains("content nests JSON deeper");
    }

    @Test
    void anOversizedEnvelopeIsMalformedWithoutBeingParsed() throws Exception {
        ObjectNode envelope = withContent(
                reference(),
                "text",
                JSON.createObjectNode()
                        .put("text", "x".repeat(MessageEvents.MAX_ENVELOPE_BYTES))
                        .toString());

        assertThat(malformed(read(envelope))).contains("larger than the limit").contains("bytes");
    }

    @Test
    void aSchema1CallbackIsIgnored() throws Exception {
        assertThat(ignored(events.read(
                        "{\"type\":\"event_callback\",\"token\":\"t\",\"event\":{}}".getBytes(StandardCharsets.UTF_8),
                        NOW)))
                .contains("schema 1.0");
    }

    // ---------------------------------------------------------------- envelopes from the fake

    @Test
    void theFakesUserMessagesAreRead() throws Exception {
        FeishuUser alice = app.user("Alice");
        MessageEvents reader = new MessageEvents("feishu", "work", true, app::botOpenId);

        UserMessage p2p = app.userSays(app.p2pChat(alice), alice, "hello");
        InboundMessage message = inbound(reader.read(bytes(p2p), NOW));
        assertThat(message.text()).isEqualTo("hello");
        assertThat(message.platformMessageId()).isEqualTo(p2p.messageId());
        assertThat(message.conversationId()).isEqualTo(p2p.chat().chatId());
        assertThat(message.senderId()).isEqualTo(alice.openId());

        FeishuChat room = app.groupChat("ops");
        assertThat(inbound(reader.read(bytes(app.userMentionsBot(room, alice, "status?")), NOW))
                        .text())
                .isEqualTo("status?");
        assertThat(reader.read(bytes(app.userSays(room, alice, "chatting")), NOW))
                .isInstanceOf(Ignored.class);
        FeishuUser bob = app.user("Bob");
        assertThat(reader.read(bytes(app.userMentions(room, alice, bob, "look")), NOW))
                .isInstanceOf(Ignored.class);
        assertThat(new MessageEvents("feishu", "work", false, app::botOpenId)
                        .read(bytes(app.userMentions(room, alice, bob, "look")), NOW))
                .isInstanceOfSatisfying(
                        Message.class, m -> assertThat(m.message().text()).isEqualTo("@Bob look"));

        UserMessage image = app.userSends(app.p2pChat(alice), alice, "image", "{\"image_key\":\"img_v2_1\"}");
        assertThat(inbound(reader.read(bytes(image), NOW)).text()).isEqualTo("[image]");
    }

    private static byte[] bytes(UserMessage message) {
        return message.envelope().getBytes(StandardCharsets.UTF_8);
    }
}
