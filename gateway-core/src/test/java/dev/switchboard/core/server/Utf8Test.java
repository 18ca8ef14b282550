package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
    @Test
    void countsWhatTheEncoderWouldWrite() {
        String[] samples = {
            "",
            "health",
            "é",
            "中文消息",
            "emoji 😀 in text",
            "lone \uD800 high",
            "lone \uDC00 low",
            "end \uD83D",
            "mixed a é 中 😀 \uDC00"
        };
        for (String sample : samples) {
            assertThat(Utf8.length(sample)).as(sample).isEqualTo(sample.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
