package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextSplitterTest {
    private static final String EMOJI = "\uD83D\uDE00"; // 😀: two UTF-16 units, four UTF-8 bytes

    @Test
    void aShortTextIsOnePart() {
        assertThat(TextSplitter.byUtf16Units("hello", 4096)).containsExactly("hello");
        assertThat(TextSplitter.byUtf16Units("", 4096)).containsExactly("");
        assertThat(TextSplitter.byUtf8Bytes("hello", 5)).containsExactly("hello");
    }

    @Test
    void splitsAtTheLastNewlineThatFits() {
        assertThat(TextSplitter.byUtf16Units("aaaa\nbbbb\ncccc", 10)).containsExactly("aaaa\nbbbb", "cccc");
        assertThat(TextSplitter.byUtf8Bytes("aaaa\nbbbb\ncccc", 10)).containsExactly("aaaa\nbbbb", "cccc");
    }

    @Test
    void fallsBackToTheLastSpace() {
        assertThat(TextSplitter.byUtf16Units("one two three four", 9)).containsExactly("one two", "three", "four");
    }

    @Test
    void cutsHardWithoutSplittingASurrogatePair() {
        String text = "a" + EMOJI.repeat(5); // 11 units, no separators

        List<String> parts = TextSplitter.byUtf16Units(text, 4);

        assertThat(parts).containsExactly("a" + EMOJI, EMOJI + EMOJI, EMOJI + EMOJI);
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void utf8PartsCountBytesNotCharacters() {
        String text = "中文".repeat(10); // 20 characters, 60 bytes, no separators

        List<String> parts = TextSplitter.byUtf8Bytes(text, 16);

        assertThat(parts).allSatisfy(part -> assertThat(part.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(16));
        assertThat(parts).first().isEqualTo("中文中文中"); // 15 bytes: a sixth character would be 18
        assertThat(String.join("", parts)).isEqualTo(text);
    }

    @Test
    void utf8PartsKeepAFourByteCharacterWhole() {
        List<String> parts = TextSplitter.byUtf8Bytes("ab" + EMOJI + EMOJI, 5);

        assertThat(parts).containsExactly("ab", EMOJI, EMOJI);
    }

    @Test
    void longPartsKeepEveryCharacterInOrder() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 10_000; i++) {
            text.append("line ").append(i).append(" \uD83D\uDE80 一些字 some words here\n");
        }

        List<String> units = TextSplitter.byUtf16Units(text.toString(), 4096);
        List<String> bytes = TextSplitter.byUtf8Bytes(text.toString(), 2048);

        assertThat(units).hasSize(3).allSatisfy(part -> assertThat(part.length())
                .isLessThanOrEqualTo(4096));
        assertThat(bytes).allSatisfy(part -> assertThat(TextSplitter.utf8Length(part))
                .isEqualTo(part.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(2048));
        // only the newline each part ended on is dropped
        assertThat(String.join("\n", units)).isEqualTo(text.toString());
        assertThat(String.join("\n", bytes)).isEqualTo(text.toString());
    }

    @Test
    void aLimitNoCharacterFitsInIsRefused() {
        assertThatThrownBy(() -> TextSplitter.byUtf16Units("x", 1)).hasMessage("limit: 1 (expected: at least 2)");
        assertThatThrownBy(() -> TextSplitter.byUtf8Bytes("x", 3)).hasMessage("maxBytes: 3 (expected: at least 4)");
    }
}
