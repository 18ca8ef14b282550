package dev.switchboard.core.automation.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * {@code gateway.hooks.max_per_minute}: hook requests accepted in any rolling minute, whoever sends
 * them (hooks have one credential, so one budget). Holds at most one instant per accepted request of
 * the last minute. Thread-safe.
 */
final class HookRateLimit {
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final ArrayDeque<Instant> accepted = new ArrayDeque<>();

    HookRateLimit(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Takes one request out of the budget; empty when it may go on, else how long until the oldest
     * request of the window leaves it.
     *
     * @param perMinute the limit in force now (it is hot: read per request)
     */
    synchronized Optional<Duration> acquire(int perMinute) {
        Instant now = clock.instant();
        Instant windowStart = now.minus(WINDOW);
        while (!accepted.isEmpty() && !accepted.peekFirst().isAfter(windowStart)) {
            accepted.pollFirst();
        }
        if (accepted.size() >= perMinute) {
            return Optional.of(Duration.between(now, accepted.peekFirst().plus(WINDOW)));
        }
        accepted.addLast(now);
        return Optional.empty();
    }
}
