package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void channelRestartsGrowFromOneToSixtySecondsWithJitter() {
        Backoff backoff = Backoff.CHANNEL_RESTART;
        for (int attempt = 0; attempt < 40; attempt++) {
            long ceiling = backoff.ceilingMillis(attempt);
            for (int i = 0; i < 50; i++) {
                long delay = backoff.delay(attempt).toMillis();
                assertThat(delay).isBetween(ceiling / 2, ceiling);
            }
        }
        assertThat(backoff.ceilingMillis(0)).isEqualTo(1_000);
        assertThat(backoff.ceilingMillis(3)).isEqualTo(8_000);
        assertThat(backoff.ceilingMillis(6)).isEqualTo(60_000);
        assertThat(backoff.ceilingMillis(1_000)).isEqualTo(60_000);
    }

    @Test
    void jitterSpreadsRetries() {
        long distinct = java.util.stream.IntStream.range(0, 100)
                .mapToLong(i -> Backoff.CHANNEL_RESTART.delay(5).toMillis())
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void retriesGrowWithEachFailureAndStartOverAfterAReset() {
        Backoff.Retries retries = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)).retries();
        assertThat(retries.next().toMillis()).isBetween(50L, 100L);
        assertThat(retries.next().toMillis()).isBetween(100L, 200L);
        assertThat(retries.next().toMillis()).isBetween(200L, 400L);
        assertThat(retries.failures()).isEqualTo(3);
        retries.reset();
        assertThat(retries.next().toMillis()).isBetween(50L, 100L);
    }

    @Test
    void rejectsNonsenseBounds() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("expected: 0 < min <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("expected: 0 < min <= max");
    }
}
