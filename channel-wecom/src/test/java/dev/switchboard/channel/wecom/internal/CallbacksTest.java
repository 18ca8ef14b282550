package dev.switchboard.channel.wecom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.InboundMessage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallbacksTest {
    private static final Instant NOW = Instant.parse("2026-12-03T04:00:00Z");
    private final Callbacks callbacks = new Callbacks("wecom", "alerts");

    private static JsonNode frame(String cmd, String body) {
        return Callbacks.parse("{\"cmd\":\"" + cmd + "\",\"headers\":{\"req_id\":\"r1\"},\"body\":" + body + "}")
                .orElseThrow();
    }

    private Callbacks.Read message(String body) {
        return callbacks.read(frame("aibot_msg_callback", body), NOW);
    }

    @Test
    void aGroupMessageIsItsChatidsConversation() {
        Callbacks.Read read = message("{\"msgid\":\"m1\",\"chatid\":\"group_alerts\",\"chattype\":\"group\","
                + "\"from\":{\"userid\":\"alice\"},\"msgtype\":\"text\",\"text\":{\"content\":\"status?\"}}");

        assertThat(read).isInstanceOf(Callbacks.Message.class);
        Callbacks.Message message = (Callbacks.Message) read;
        InboundMessage inbound = message.message();
        assertThat(inbound.conversationId()).isEqualTo("group_alerts");
        assertThat(inbound.senderId()).isEqualTo("alice");
        assertThat(inbound.platformMessageId()).isEqualTo("m1");
        assertThat(inbound.text()).isEqualTo("status?");
        assertThat(message.reqId()).isEqualTo("r1");
    }

    @Test
    void aSingleChatIsTheSendersConversation() {
        Callbacks.Read read = message("{\"msgid\":\"m2\",\"chattype\":\"single\",\"from\":{\"userid\":\"bob\"},"
                + "\"msgtype\":\"voice\",\"voice\":{\"content\":\"call me\"}}");

        InboundMessage inbound = ((Callbacks.Message) read).message();
        assertThat(inbound.conversationId()).isEqualTo("bob");
        assertThat(inbound.text()).isEqualTo("call me");
    }

    @Test
    void mixedTextPartsAreJoinedAndImagesSummarised() {
        Callbacks.Read read = message("{\"msgid\":\"m3\",\"chattype\":\"single\",\"from\":{\"userid\":\"bob\"},"
                + "\"msgtype\":\"mixed\",\"mixed\":{\"msg_item\":[{\"msgtype\":\"text\",\"text\":{\"content\":\"see\"}},"
                + "{\"msgtype\":\"image\",\"image\":{\"url\":\"u\"}}]}}");

        assertThat(((Callbacks.Message) read).message().text()).isEqualTo("see\n[image]");
    }

    @Test
    void otherTypesAreSummarised() {
        Callbacks.Read read = message("{\"msgid\":\"m4\",\"chattype\":\"single\",\"from\":{\"userid\":\"bob\"},"
                + "\"msgtype\":\"location\",\"location\":{}}");

        assertThat(((Callbacks.Message) read).message().text()).isEqualTo("[location]");
    }

    @Test
    void malformedMessagesNameWhatIsMissingNotTheContent() {
        assertThat(message("{\"msgid\":\"m5\",\"chattype\":\"group\",\"from\":{\"userid\":\"a\"},\"msgtype\":\"text\","
                        + "\"text\":{\"content\":\"secret words\"}}"))
                .isInstanceOfSatisfying(
                        Callbacks.Malformed.class,
                        m -> assertThat(m.reason()).contains("without chatid").doesNotContain("secret words"));
        assertThat(message("{\"msgid\":\"m6\",\"from\":{\"userid\":\"a\"},\"msgtype\":\"text\",\"text\":{}}"))
                .isInstanceOfSatisfying(
                        Callbacks.Malformed.class, m -> assertThat(m.reason()).contains("text without its content"));
        assertThat(message("{\"from\":{\"userid\":\"a\"},\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}"))
                .isInstanceOfSatisfying(
                        Callbacks.Malformed.class, m -> assertThat(m.reason()).contains("no msgid"));
        assertThat(callbacks.read(
                        Callbacks.parse("{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"r9\"}}")
                                .orElseThrow(),
                        NOW))
                .isInstanceOfSatisfying(
                        Callbacks.Malformed.class, m -> assertThat(m.reason()).contains("no body"));
    }

    @Test
    void eventsAreEnterChatOrPassedOverAndTheDisconnectedEventIsRecognised() {
        JsonNode enter = frame(
                "aibot_event_callback",
                "{\"msgid\":\"e1\",\"from\":{\"userid\":\"alice\"},\"msgtype\":\"event\",\"event\":{\"eventtype\":\"enter_chat\"}}");
        JsonNode feedback = frame(
                "aibot_event_callback",
                "{\"msgid\":\"e2\",\"msgtype\":\"event\",\"event\":{\"eventtype\":\"feedback_event\"}}");
        JsonNode kicked = frame(
                "aibot_event_callback",
                "{\"msgid\":\"e3\",\"msgtype\":\"event\",\"event\":{\"eventtype\":\"disconnected_event\"}}");

        assertThat(callbacks.read(enter, NOW)).isEqualTo(new Callbacks.EnterChat("r1", "alice"));
        assertThat(callbacks.read(feedback, NOW)).isInstanceOf(Callbacks.Ignored.class);
        assertThat(Callbacks.isDisconnectedEvent(kicked)).isTrue();
        assertThat(Callbacks.isDisconnectedEvent(enter)).isFalse();
        // loongclaw's mistake: the type is at body.event.eventtype, not body.event_type
        assertThat(Callbacks.isDisconnectedEvent(
                        frame("aibot_event_callback", "{\"event_type\":\"disconnected_event\"}")))
                .isFalse();
    }
}
