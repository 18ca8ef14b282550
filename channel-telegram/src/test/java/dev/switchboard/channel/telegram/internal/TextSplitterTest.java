package dev.switchboard.channel.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextSplitterTest {
    @Test
    void aShortTextIsOnePart() {
        assertThat(TextSplitter.split("hello", 4096)).containsExactly("hello");
    }

    @Test
    void splitsAtTheLastNewlineThatFits() {
        assertThat(TextSplitter.split("aaaa\nbbbb\ncccc", 10)).containsExactly("aaaa\nbbbb", "cccc");
    }

    @Test
    void fallsBackToTheLastSpace() {
        assertThat(TextSplitter.split("one two three four", 9)).containsExactly("one two", "three", "four");
    }

    @Test
    void cutsHardWithoutSplittingASurrogatePair() {
        String emoji = "\uD83D\uDE00"; // 😀, two UTF-16 units
        String text = "a" + emoji.repeat(5); // 11 units, no separators

        List<String> parts = TextSplitter.split(text, 4);

        assertThat(parts).containsExactly("a" + emoji, emoji + emoji, emoji + emoji);
        assertThat(String.join("", parts)).isEqualTo(text);
        assertThat(parts).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(4));
    }

    @Test
    void telegramSizedPartsKeepEveryCharacterInOrder() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 10_000; i++) {
            text.append("line ").append(i).append(" \uD83D\uDE80 some words here\n");
        }

        List<String> parts = TextSplitter.split(text.toString(), TextSplitter.TELEGRAM_LIMIT);

        assertThat(parts).hasSize(3);
        assertThat(parts).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(4096));
        // only the newline each part ended on is dropped
        assertThat(String.join("\n", parts)).isEqualTo(text.toString());
    }
}
