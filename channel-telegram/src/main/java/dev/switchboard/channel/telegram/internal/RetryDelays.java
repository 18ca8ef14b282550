package dev.switchboard.channel.telegram.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with equal jitter for the poll loop: retry {@code n} waits between half and all
 * of {@code min * 2^n}, capped at {@code max}. A run of failures (a competing poller, an outage)
 * therefore slows down to one attempt a minute instead of a hot loop, and accounts that failed
 * together do not retry in lock-step. {@link #reset()} after a success.
 */
public final class RetryDelays {
    /** SPEC §7: 1 s to 60 s. */
    public static final Duration MIN = Duration.ofSeconds(1);

    public static final Duration MAX = Duration.ofSeconds(60);

    private final long minMillis;
    private final long maxMillis;
    private int attempt;

    public RetryDelays() {
        this(MIN, MAX);
    }

    public RetryDelays(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff " + min + ".." + max + " (expected: 0 < min <= max)");
        }
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The wait before the next attempt; each call counts one more failure. */
    public Duration next() {
        long ceiling = Math.min(minMillis << Math.min(attempt, 30), maxMillis);
        attempt++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    public void reset() {
        attempt = 0;
    }
}
