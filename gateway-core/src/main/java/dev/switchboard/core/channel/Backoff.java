package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt {@code n} waits between half and all of {@code
 * min * 2^n}, capped at {@code max}. The jitter keeps many accounts that failed together (a network
 * blip) from retrying in lock-step.
 *
 * @param min the first delay's upper bound
 * @param max the largest delay
 */
public record Backoff(Duration min, Duration max) {
    /** SPEC §7: channel restarts back off from 1 s to 60 s. */
    public static final Backoff CHANNEL_RESTART = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    public Backoff {
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff " + min + ".." + max + " (expected: 0 < min <= max)");
        }
    }

    /** The delay before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        long ceiling = ceilingMillis(attempt);
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /** The largest delay {@link #delay(int)} can return for {@code attempt}. */
    public long ceilingMillis(int attempt) {
        long ceiling = min.toMillis() << Math.min(Math.max(attempt, 0), 30);
        return Math.min(ceiling, max.toMillis());
    }
}
