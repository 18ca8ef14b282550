package dev.switchboard.channel.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.telegram.internal.UpdateReader.BotIdentity;
import dev.switchboard.spi.InboundMessage;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdateReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final BotIdentity BOT = new BotIdentity(777, "ops_bot");

    private final UpdateReader reader = new UpdateReader("telegram", "main", true, BOT);

    private static JsonNode update(String messageJson) throws Exception {
        return JSON.readTree("{\"update_id\":10,\"message\":" + messageJson + "}");
    }

    private Optional<InboundMessage> read(String messageJson) throws Exception {
        return reader.read(update(messageJson), NOW);
    }

    @Test
    void aPrivateTextMessageBecomesAnInboundMessageWithAStableId() throws Exception {
        InboundMessage message =
                read("""
                        {"message_id":5,"from":{"id":42,"is_bot":false,"first_name":"Ann"},
                         "chat":{"id":42,"type":"private"},"date":1,"text":"hello"}""")
                        .orElseThrow();

        assertThat(message.channelId()).isEqualTo("telegram");
        assertThat(message.accountId()).isEqualTo("main");
        assertThat(message.conversationId()).isEqualTo("42");
        assertThat(message.threadId()).isEmpty();
        assertThat(message.senderId()).isEqualTo("42");
        // the bot's id first: another bot's chat with the same user numbers its messages from 1 too
        assertThat(message.platformMessageId()).isEqualTo("777:42:5");
        assertThat(message.text()).isEqualTo("hello");
        assertThat(message.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void groupMessagesNeedAMentionAReplyToTheBotOrACommandForIt() throws Exception {
        String group = "\"chat\":{\"id\":-100,\"type\":\"supergroup\"},\"from\":{\"id\":42,\"is_bot\":false}";

        assertThat(read("{\"message_id\":1," + group + ",\"text\":\"just chatting\"}"))
                .isEmpty();
        assertThat(read("{\"message_id\":2," + group
                        + ",\"text\":\"hi @ops_bot\",\"entities\":[{\"type\":\"mention\",\"offset\":3,\"length\":8}]}"))
                .map(InboundMessage::text)
                .contains("hi");
        assertThat(
                        read(
                                "{\"message_id\":3," + group
                                        + ",\"text\":\"hi @other_bot\",\"entities\":[{\"type\":\"mention\",\"offset\":3,\"length\":10}]}"))
                .isEmpty();
        assertThat(
                        read(
                                "{\"message_id\":4," + group
                                        + ",\"text\":\"and you?\",\"reply_to_message\":{\"message_id\":3,\"from\":{\"id\":777,\"is_bot\":true}}}"))
                .isPresent();
        assertThat(
                        read(
                                "{\"message_id\":5," + group
                                        + ",\"text\":\"/new@ops_bot\",\"entities\":[{\"type\":\"bot_command\",\"offset\":0,\"length\":12}]}"))
                .map(InboundMessage::text)
                .contains("/new");
        assertThat(
                        read(
                                "{\"message_id\":6," + group
                                        + ",\"text\":\"/new@other_bot\",\"entities\":[{\"type\":\"bot_command\",\"offset\":0,\"length\":14}]}"))
                .isEmpty();
        assertThat(read("{\"message_id\":7," + group
                        + ",\"text\":\"/reset\",\"entities\":[{\"type\":\"bot_command\",\"offset\":0,\"length\":6}]}"))
                .isPresent();
    }

    @Test
    void withoutRequireMentionEveryGroupTextIsTaken() throws Exception {
        UpdateReader open = new UpdateReader("telegram", "main", false, BOT);

        assertThat(open.read(
                        update("{\"message_id\":1,\"chat\":{\"id\":-5,\"type\":\"group\"},\"from\":{\"id\":42},"
                                + "\"text\":\"anyone?\"}"),
                        NOW))
                .isPresent();
    }

    @Test
    void onlyRealTopicMessagesCarryAThread() throws Exception {
        String forum = "\"chat\":{\"id\":-200,\"type\":\"supergroup\",\"is_forum\":true},\"from\":{\"id\":42}";
        UpdateReader open = new UpdateReader("telegram", "main", false, BOT);

        assertThat(open.read(
                                update("{\"message_id\":1," + forum
                                        + ",\"message_thread_id\":9,\"is_topic_message\":true,\"text\":\"in topic\"}"),
                                NOW)
                        .orElseThrow()
                        .threadId())
                .contains("9");
        // a reply thread in a non-forum group, or the General topic: message_thread_id without is_topic_message
        assertThat(open.read(
                                update("{\"message_id\":2," + forum + ",\"message_thread_id\":1,\"text\":\"general\"}"),
                                NOW)
                        .orElseThrow()
                        .threadId())
                .isEmpty();
    }

    @Test
    void skipsWhatIsNotAPersonsTextMessage() throws Exception {
        assertThat(read("{\"message_id\":1,\"chat\":{\"id\":42,\"type\":\"private\"},\"from\":{\"id\":42},"
                        + "\"photo\":[{\"file_id\":\"x\"}]}"))
                .isEmpty();
        assertThat(read("{\"message_id\":2,\"chat\":{\"id\":42,\"type\":\"private\"},"
                        + "\"from\":{\"id\":43,\"is_bot\":true},\"text\":\"beep\"}"))
                .isEmpty();
        assertThat(read("{\"message_id\":3,\"chat\":{\"id\":-9,\"type\":\"channel\"},\"text\":\"news\"}"))
                .isEmpty();
        assertThat(reader.read(JSON.readTree("{\"update_id\":11,\"edited_message\":{\"message_id\":1}}"), NOW))
                .isEmpty();
    }

    @Test
    void anEntityOutsideTheTextMakesTheUpdateMalformedWithoutOverflowing() {
        String start = "{\"message_id\":1,\"from\":{\"id\":42},\"chat\":{\"id\":42,\"type\":\"private\"},"
                + "\"text\":\"hi @ops_bot\",\"entities\":[{\"type\":\"mention\",";

        assertThatThrownBy(() -> read(start + "\"offset\":2147483647,\"length\":10}]}"))
                .isInstanceOf(MalformedUpdateException.class)
                .hasMessage("entity 0: offset 2147483647 + length 10 is outside the text (expected: 0 <= offset,"
                        + " 1 <= length, offset + length <= 11 UTF-16 units)");
        assertThatThrownBy(() -> read(start + "\"offset\":-1,\"length\":3}]}"))
                .isInstanceOf(MalformedUpdateException.class);
        assertThatThrownBy(() -> read(start + "\"offset\":3,\"length\":9}]}"))
                .isInstanceOf(MalformedUpdateException.class);
        assertThatThrownBy(() -> read(start + "\"offset\":\"3\",\"length\":8}]}"))
                .isInstanceOf(MalformedUpdateException.class)
                .hasMessageContaining("offset \"3\", length 8 (expected: integers 0..2147483647");
        assertThatThrownBy(() -> read(start + "\"offset\":1099511627776,\"length\":8}]}"))
                .isInstanceOf(MalformedUpdateException.class);
        assertThatThrownBy(
                        () -> read("{\"message_id\":1,\"from\":{\"id\":42},\"chat\":{\"id\":42,\"type\":\"private\"},"
                                + "\"text\":\"hi\",\"entities\":{}}"))
                .isInstanceOf(MalformedUpdateException.class)
                .hasMessageContaining("entities is not an array");
    }
}
