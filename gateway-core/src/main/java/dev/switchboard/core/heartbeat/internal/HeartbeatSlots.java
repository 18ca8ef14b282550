package dev.switchboard.core.heartbeat.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.GatewayConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When heartbeats are due: on whole multiples of the interval since the epoch (so a restart keeps
 * the same rhythm), never inside the quiet hours. Missed slots are not made up for: the next slot
 * is the first one from now.
 */
final class HeartbeatSlots {
    private final Duration interval;
    private final Optional<GatewayConfig.QuietHours> quiet;

    HeartbeatSlots(Duration interval, Optional<GatewayConfig.QuietHours> quiet) {
        this.interval = requireNonNull(interval, "interval is null");
        this.quiet = requireNonNull(quiet, "quiet is null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: positive)");
        }
    }

    /** The first slot at or after {@code from} that is outside the quiet hours. */
    Instant next(Instant from) {
        requireNonNull(from, "from is null");
        Instant slot = gridAtOrAfter(from);
        // a window is at most a day long: after leaving it once, the next grid point is outside it
        for (int i = 0; i < 3 && quiet.isPresent() && quiet.get().contains(slot); i++) {
            slot = gridAtOrAfter(endOfWindow(quiet.get(), slot));
        }
        return slot;
    }

    private Instant gridAtOrAfter(Instant from) {
        long step = interval.toMillis();
        long at = from.toEpochMilli();
        long slot = Math.floorDiv(at, step) * step;
        return Instant.ofEpochMilli(slot < at ? slot + step : slot);
    }

    /** The first instant after {@code inside} at which the window ends. */
    private static Instant endOfWindow(GatewayConfig.QuietHours quiet, Instant inside) {
        ZonedDateTime local = inside.atZone(quiet.zone());
        ZonedDateTime end = local.with(quiet.end());
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }
}
