package dev.switchboard.core.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
    private static final String[] SAMPLES = {
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

    @Test
    void countsWhatTheEncoderWouldWrite() {
        for (String sample : SAMPLES) {
            assertThat(Utf8.length(sample)).as(sample).isEqualTo(sample.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void truncatesToTheLongestPrefixThatFitsWithoutSplittingACodePoint() {
        for (String sample : SAMPLES) {
            for (int max = 0; max <= Utf8.length(sample) + 1; max++) {
                String cut = Utf8.truncate(sample, max);
                assertThat(sample).startsWith(cut);
                assertThat(Utf8.length(cut)).as(sample + " cut at " + max).isLessThanOrEqualTo(max);
                if (cut.length() < sample.length()) {
                    int next = cut.length() + Character.charCount(sample.codePointAt(cut.length()));
                    assertThat(!cut.isEmpty()
                                    && Character.isLowSurrogate(sample.charAt(cut.length()))
                                    && Character.isHighSurrogate(sample.charAt(cut.length() - 1)))
                            .as("a surrogate pair split by cutting " + sample + " at " + max)
                            .isFalse();
                    assertThat(Utf8.length(sample.substring(0, next)))
                            .as("one more code point would not fit")
                            .isGreaterThan(max);
                }
            }
        }
        assertThat(Utf8.truncate("aé😀", 6)).isEqualTo("aé");
        assertThat(Utf8.truncate("aé😀", 7)).isEqualTo("aé😀");
    }
}
