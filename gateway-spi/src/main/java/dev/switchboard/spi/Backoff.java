package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": retry {@code n} (0 for the first) waits between half and
 * all of {@code min * 2^n}, capped at {@code max}. The gateway restarts failed accounts and retries
 * outbox sends with it; channels use it for their own reconnects and polls ({@link #retries()}), so a
 * run of failures slows to one attempt per {@code max} instead of a hot loop, and accounts that failed
 * together (a network blip) do not retry in lock-step.
 *
 * @param min the first delay's upper bound
 * @param max the largest delay
 */
public record Backoff(Duration min, Duration max) {
    /** SPEC §7: channel restarts and reconnects back off from 1 s to 60 s. */
    public static final Backoff CHANNEL_RESTART = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    /** @throws IllegalArgumentException unless {@code 0 < min <= max} */
    public Backoff {
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff " + min + ".." + max + " (expected: 0 < min <= max)");
        }
    }

    /** The delay before retry number {@code attempt} (0 for the first retry), jittered. */
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

    /** A fresh count of consecutive failures following this backoff (one per retry loop; not thread-safe). */
    public Retries retries() {
        return new Retries(this);
    }

    /** Consecutive failures of one retry loop: {@link #next()} after each failure, {@link #reset()} after a success. */
    public static final class Retries {
        private final Backoff backoff;
        private int failures;

        private Retries(Backoff backoff) {
            this.backoff = backoff;
        }

        /** Counts one more failure and returns how long to wait before the next attempt. */
        public Duration next() {
            return backoff.delay(failures++);
        }

        /** The failures counted since the last {@link #reset()}. */
        public int failures() {
            return failures;
        }

        /** Back to the shortest delay. */
        public void reset() {
            failures = 0;
        }
    }
}
