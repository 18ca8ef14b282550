package dev.switchboard.channel.feishu.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FragmentBufferTest {
    private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");
    private final FragmentBuffer buffer = new FragmentBuffer(Duration.ofSeconds(10), 2);

    @Test
    void partsArrivingInAnyOrderAreJoinedInSeqOrderOnce() throws Exception {
        assertThat(buffer.add("m", 3, 2, bytes("c"), T0)).isEmpty();
        assertThat(buffer.add("m", 3, 0, bytes("a"), T0)).isEmpty();
        assertThat(buffer.add("m", 3, 0, bytes("a"), T0))
                .as("a part seen twice")
                .isEmpty();
        Optional<byte[]> whole = buffer.add("m", 3, 1, bytes("b"), T0);

        assertThat(whole)
                .hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("abc"));
        assertThat(buffer.openEvents()).isZero();
    }

    @Test
    void aWholeEventPassesStraightThrough() throws Exception {
        assertThat(buffer.add("m", 1, 0, bytes("all"), T0))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("all")));
        assertThat(buffer.openEvents()).isZero();
    }

    @Test
    void anEventNotCompleteWithinTheTtlIsForgotten() throws Exception {
        buffer.add("m", 2, 0, bytes("a"), T0);

        // the rest arrives too late: it starts a new event, which still lacks part 0
        assertThat(buffer.add("m", 2, 1, bytes("b"), T0.plusSeconds(11))).isEmpty();
        assertThat(buffer.openEvents()).isEqualTo(1);
    }

    @Test
    void atMostMaxOpenEventsAreKeptTheOldestGoesFirst() throws Exception {
        buffer.add("m1", 2, 0, bytes("1a"), T0);
        buffer.add("m2", 2, 0, bytes("2a"), T0);
        buffer.add("m3", 2, 0, bytes("3a"), T0);

        assertThat(buffer.openEvents()).isEqualTo(2);
        assertThat(buffer.add("m1", 2, 1, bytes("1b"), T0))
                .as("m1 was forgotten")
                .isEmpty();
        assertThat(buffer.add("m3", 2, 1, bytes("3b"), T0))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("3a3b")));
    }

    @Test
    void aPartOutsideItsSumIsRefused() {
        assertThatThrownBy(() -> buffer.add("m", 2, 2, bytes("x"), T0))
                .isInstanceOf(FragmentBuffer.BadFragmentException.class)
                .hasMessageContaining("seq 2 of sum 2");
        assertThatThrownBy(() -> buffer.add("m", 0, 0, bytes("x"), T0))
                .isInstanceOf(FragmentBuffer.BadFragmentException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
