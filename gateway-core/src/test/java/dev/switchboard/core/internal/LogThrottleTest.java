package dev.switchboard.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.testing.LogCapture;
import dev.switchboard.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogThrottleTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final LogCapture log = LogCapture.attach(LogThrottleTest.class);
    private final LogThrottle throttle = new LogThrottle(
            LoggerFactory.getLogger(LogThrottleTest.class),
            clock,
            Duration.ofMinutes(1),
            2,
            "others",
            (key, more, elapsed) -> more + " more from " + key + " in " + elapsed.toSeconds() + " s");

    @AfterEach
    void detach() {
        log.close();
    }

    @Test
    void theFirstEventOfAnIntervalIsLoggedTheRestSummedUpOnceItIsOver() {
        assertThat(throttle.warn("10.0.0.1", "failure from {}: {}", "10.0.0.1", "CODE"))
                .isTrue();
        for (int i = 0; i < 500; i++) {
            clock.advance(Duration.ofMillis(100));
            assertThat(throttle.warn("10.0.0.1", "failure from {}: {}", "10.0.0.1", "CODE"))
                    .isFalse();
        }
        throttle.flush(); // 50 s: the interval is not over
        assertThat(log.lines()).containsExactly("WARN failure from 10.0.0.1: CODE");

        clock.advance(Duration.ofSeconds(10));
        throttle.flush();
        throttle.flush();

        assertThat(log.lines())
                .containsExactly("WARN failure from 10.0.0.1: CODE", "WARN 500 more from 10.0.0.1 in 60 s");
    }

    @Test
    void theNextEventAfterTheIntervalPrintsTheSummaryFirstThenItself() {
        throttle.warn("a", "event {}", 1);
        throttle.warn("a", "event {}", 2);
        clock.advance(Duration.ofSeconds(61));

        throttle.warn("a", "event {}", 3);

        assertThat(log.lines()).containsExactly("WARN event 1", "WARN 1 more from a in 61 s", "WARN event 3");
    }

    @Test
    void keysAreThrottledApartAndAnIntervalWithoutMoreHasNoSummary() {
        throttle.warn("a", "a {}", 1);
        throttle.warn("b", "b {}", 1);
        throttle.warn("b", "b {}", 2);
        clock.advance(Duration.ofMinutes(1));
        throttle.flush();

        assertThat(log.lines()).containsExactly("WARN a 1", "WARN b 1", "WARN 1 more from b in 60 s");
    }

    @Test
    void pastMaxKeysFurtherKeysAreSummedUpTogether() {
        for (int i = 0; i < 1000; i++) {
            throttle.warn("10.0.0." + i, "failure from {}", "10.0.0." + i);
        }
        clock.advance(Duration.ofMinutes(1));
        throttle.flush();

        assertThat(log.lines())
                .containsExactly(
                        "WARN failure from 10.0.0.0",
                        "WARN failure from 10.0.0.1",
                        "WARN 998 more from others in 60 s");
    }
}
