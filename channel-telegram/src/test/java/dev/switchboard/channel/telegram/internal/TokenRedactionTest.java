package dev.switchboard.channel.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class TokenRedactionTest {
    private static final String TOKEN = "123456789:AAEabcdefghijklmnopqrstuvwxyz0123456";

    @Test
    void removesTheTokenFromUrlsAndText() {
        TokenRedaction redaction = new TokenRedaction(TOKEN);

        assertThat(redaction.redact("unexpected end of stream on https://api.telegram.org/bot" + TOKEN + "/getUpdates"))
                .isEqualTo("unexpected end of stream on https://api.telegram.org/bot<redacted>/getUpdates");
        assertThat(redaction.redact("token " + TOKEN + " refused")).isEqualTo("token <redacted> refused");
    }

    @Test
    void removesAnyTokenShapedValueEvenIfItIsNotThisAccounts() {
        TokenRedaction redaction = new TokenRedaction(TOKEN);

        assertThat(redaction.redact("GET /bot42:other-token-value/getMe")).isEqualTo("GET /bot<redacted>/getMe");
        assertThat(redaction.redact("987654:ZZZabcdefghijklmnopqrstuvwxyz0123456 leaked"))
                .isEqualTo("<redacted> leaked");
    }

    @Test
    void describesAnExceptionWithoutItsToken() {
        TokenRedaction redaction = new TokenRedaction(TOKEN);

        assertThat(redaction.describe(new IOException("failed: http://h/bot" + TOKEN + "/sendMessage")))
                .isEqualTo("failed: http://h/bot<redacted>/sendMessage");
        assertThat(redaction.describe(new IOException())).isEqualTo("IOException");
    }
}
