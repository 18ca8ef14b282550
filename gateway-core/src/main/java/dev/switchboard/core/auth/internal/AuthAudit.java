package dev.switchboard.core.auth.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.internal.LogThrottle;
import dev.switchboard.core.internal.ServerCounters;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs refused connects (SPEC §5.4): every lockout is logged at WARN; failed
 * authentications and attempts refused during a lockout are logged at WARN the first time per client
 * address and minute, the rest summed up in one line per address and minute, so a flood cannot flood
 * the log. Lines name the client address and the failure code, never a credential.
 */
public final class AuthAudit {
    private static final Logger log = LoggerFactory.getLogger(AuthAudit.class);
    /** Per address, one line per interval at most, plus its summary. */
    static final Duration INTERVAL = Duration.ofMinutes(1);
    /** Addresses logged one by one per interval; the others are summed up together. */
    static final int MAX_ADDRESSES = 100;
    /** How often the owner should call {@link #flush}. */
    public static final Duration FLUSH_EVERY = Duration.ofSeconds(10);

    private final ServerCounters counters;
    private final LogThrottle throttle;

    public AuthAudit(ServerCounters counters, Clock clock) {
        this.counters = requireNonNull(counters, "counters is null");
        this.throttle = new LogThrottle(
                log,
                requireNonNull(clock, "clock is null"),
                INTERVAL,
                MAX_ADDRESSES,
                "other addresses",
                (address, more, elapsed) -> more + " more failed or refused connects from " + address + " in the last "
                        + Math.max(1, elapsed.toSeconds()) + " s");
    }

    /** Credentials from {@code address} were checked and refused with {@code code}. */
    void failed(String address, String code) {
        counters.authFailed();
        throttle.warn(address, "failed authentication from {}: {}", address, code);
    }

    /** {@code address} is locked out for {@code lockout}: always logged. */
    void lockoutStarted(String address, Duration lockout) {
        counters.lockoutStarted();
        log.warn(
                "locking out {} for {} s after too many failed authentications; its connects are refused"
                        + " (RATE_LIMITED) without checking credentials",
                address,
                lockout.toSeconds());
    }

    /** A connect from {@code address} was refused without checking its credentials, for {@code wait}. */
    void refusedWhileLocked(String address, Duration wait) {
        throttle.warn(
                address,
                "refused connect from {}: RATE_LIMITED (may try again in {} s)",
                address,
                Math.max(1, wait.toSeconds()));
    }

    /** Logs the summaries of the intervals that are over; call it every {@link #FLUSH_EVERY}. */
    public void flush() {
        throttle.flush();
    }
}
