package dev.switchboard.channel.wecom.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8SplitterTest {
    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aTextThatFitsIsOnePart() {
        assertThat(Utf8Splitter.split("告警 ok", 20, 8)).containsExactly("告警 ok");
    }

    @Test
    void partsEndAtTheLastLineBreakThatFitsAndTheBreakIsDropped() {
        assertThat(Utf8Splitter.split("aaaa\nbbbb\ncccc", 10, 10)).containsExactly("aaaa\nbbbb", "cccc");
    }

    @Test
    void theFirstPartHasItsOwnLimitAndTheRestTheirs() {
        List<String> parts = Utf8Splitter.split("one two three four five six", 13, 5);

        assertThat(parts).containsExactly("one two three", "four", "five", "six");
    }

    @Test
    void limitsCountUtf8BytesAndNeverCutACharacter() {
        // 告 is 3 bytes: 7 bytes hold two of them, not a third half
        List<String> parts = Utf8Splitter.split("告警告警告", 7, 7);

        assertThat(parts).containsExactly("告警", "告警", "告");
        assertThat(parts).allSatisfy(part -> assertThat(bytes(part)).isLessThanOrEqualTo(7));
    }

    @Test
    void aSurrogatePairStaysWhole() {
        // 🚨 is one code point, two chars, four bytes
        List<String> parts = Utf8Splitter.split("a🚨🚨", 5, 5);

        assertThat(parts).containsExactly("a🚨", "🚨");
    }
}
