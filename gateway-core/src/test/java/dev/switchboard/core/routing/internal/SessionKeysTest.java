package dev.switchboard.core.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.InboundMessage;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionKeysTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aMessagesSessionNamesChannelAccountConversationAndThread() {
        InboundMessage plain = new InboundMessage("telegram", "bot_a", "chat-1", Optional.empty(), "u", "1", "x", T0);
        InboundMessage topic = new InboundMessage("telegram", "bot_a", "-100", Optional.of("9"), "u", "2", "x", T0);

        assertThat(SessionKeys.of(plain)).isEqualTo("telegram:bot_a:chat-1");
        assertThat(SessionKeys.of(topic)).isEqualTo("telegram:bot_a:-100:9");
        assertThat(new Outbound.Target("telegram", "bot_a").sessionKey("chat-1"))
                .as("a proactive run's session is the conversation's")
                .isEqualTo(SessionKeys.of(plain));
    }

    @Test
    void webchatKeysGetTheirPrefixOnce() {
        assertThat(SessionKeys.webchat("t1")).isEqualTo("webchat:t1");
        assertThat(SessionKeys.webchat("webchat:t1")).isEqualTo("webchat:t1");
    }
}
