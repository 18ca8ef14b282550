package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextSplitterTest {
    @Test
    void aLongReplyIsSplitAtLineBreaksAndNothingIsLost() {
        String text = "a".repeat(1500) + "\n" + "b".repeat(1500);
        assertThat(TextSplitter.split(text, 2000)).containsExactly("a".repeat(1500), "b".repeat(1500));
    }

    @Test
    void aSurrogatePairIsNeverCut() {
        String text = "x".repeat(1999) + "😀" + "y";
        assertThat(TextSplitter.split(text, 2000)).containsExactly("x".repeat(1999), "😀y");
    }

    @Test
    void aShortReplyIsOnePart() {
        assertThat(TextSplitter.split("hi", 2000)).containsExactly("hi");
    }
}
