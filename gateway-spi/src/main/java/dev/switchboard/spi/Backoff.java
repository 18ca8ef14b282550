package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": retry {@code n} (0 for the first) waits between half and
 * all of {@code min * 2^n}, capped at {@code max}. It is the gateway's one retry rule: it restarts failed
 * accounts ({@link #CHANNEL_RESTART}), retries outbox sends and agent calls with it, and channels use
 * it for their own reconnects and polls ({@link #retries()}), so a run of failures slows to one attempt
 * per {@code max} instead of a hot loop, and accounts that failed together (a network blip) do not
 * retry in lock-step. A wait the platform asks for (a {@code retry_after}) takes precedence over it.
 *
 * <p>Immutable and thread-safe; a {@link Retries} counter is not.
 *
 * @param min the first delay's upper bound
 * @param max the largest delay
 */
public record Backoff(Duration min, Duration max) {
    /** SPEC §7: channel restarts and reconnects back off from 1 s to 60 s. */
    public static final Backoff CHANNEL_RESTART = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    /**
     * Checks the bounds.
     *
     * @param min the first delay's upper bound
     * @param max the largest delay
     * @throws IllegalArgumentException unless {@code 0 < min <= max}
     */
    public Backoff {
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff " + min + ".." + max + " (expected: 0 < min <= max)");
        }
    }

    /**
     * The delay before retry number {@code attempt}, jittered.
     *
     * @param attempt 0 for the first retry; a negative number counts as 0
     * @return between half of and all of {@link #ceilingMillis(int)}
     */
    public Duration delay(int attempt) {
        long ceiling = ceilingMillis(attempt);
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /**
     * The largest delay {@link #delay(int)} can return for {@code attempt}.
     *
     * @param attempt 0 for the first retry; a negative number counts as 0
     * @return {@code min * 2^attempt} in milliseconds, capped at {@code max}
     */
    public long ceilingMillis(int attempt) {
        long ceiling = min.toMillis() << Math.min(Math.max(attempt, 0), 30);
        return Math.min(ceiling, max.toMillis());
    }

    /**
     * A fresh count of consecutive failures following this backoff: one per retry loop, used by the
     * loop's own thread (it is not thread-safe).
     *
     * @return a counter at zero failures
     */
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

        /**
         * Counts one more failure.
         *
         * @return how long to wait before the next attempt
         */
        public Duration next() {
            return backoff.delay(failures++);
        }

        /**
         * The failures counted so far.
         *
         * @return the failures since the last {@link #reset()}
         */
        public int failures() {
            return failures;
        }

        /** Back to the shortest delay. */
        public void reset() {
            failures = 0;
        }
    }
}
