package dev.switchboard.core.auth.internal;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed authentication attempts per client address (SPEC §5.1): after {@code maxFailures} failures
 * within a rolling {@code window} an address is locked out for {@code lockout}; a success clears its
 * failures. Defaults: 10 failures per minute, then 5 minutes.
 *
 * <p>The caller decides what counts as a failure and who is exempt ({@link #exempt}). Before it
 * checks credentials it calls {@link #begin}, which reserves the attempt, and ends it with {@link
 * #recordFailure} or {@link #recordSuccess}. Attempts in flight count against the limit, so a burst of
 * concurrent bad attempts from one address never gets more than {@code maxFailures} checks before the
 * lockout; a locked-out client is answered without its credentials being checked.
 *
 * <p>Thread-safe. Memory is bounded: entries whose failures and lockout have expired are dropped,
 * and at most {@code maxAddresses} addresses are tracked (the one untouched longest goes first).
 */
public final class AuthRateLimiter {
    public static final int DEFAULT_MAX_FAILURES = 10;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final Duration DEFAULT_LOCKOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Duration lockout;
    private final int maxAddresses;
    /** Ordered by last touch, oldest first: a failure moves its address to the end. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    /** How long a client waits when its address has as many attempts in flight as it may still fail. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    private static final class Entry {
        final ArrayDeque<Instant> failures = new ArrayDeque<>();
        /** Attempts begun and not yet ended. */
        int inFlight;

        Instant lockedUntil = Instant.MIN;
        Instant lastTouched = Instant.MIN;
    }

    /** The defaults of SPEC §5.1. */
    public AuthRateLimiter(Clock clock) {
        this(clock, DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_LOCKOUT, DEFAULT_MAX_ADDRESSES);
    }

    public AuthRateLimiter(Clock clock, int maxFailures, Duration window, Duration lockout, int maxAddresses) {
        this.clock = requireNonNull(clock, "clock is null");
        this.window = requireNonNull(window, "window is null");
        this.lockout = requireNonNull(lockout, "lockout is null");
        if (maxFailures < 1 || maxAddresses < 1 || window.isNegative() || window.isZero() || lockout.isNegative()) {
            throw new IllegalArgumentException("maxFailures and maxAddresses must be >= 1, window > 0, lockout >= 0");
        }
        this.maxFailures = maxFailures;
        this.maxAddresses = maxAddresses;
    }

    /**
     * Exempt from rate limiting: a loopback peer that is not a browser (no {@code Origin} header).
     * A browser page on the same host could be anyone's, so it is limited like a remote client.
     */
    public static boolean exempt(InetAddress remote, Optional<String> origin) {
        requireNonNull(remote, "remote is null");
        requireNonNull(origin, "origin is null");
        return remote.isLoopbackAddress() && origin.isEmpty();
    }

    /**
     * Begins one attempt of {@code address}, in the same step as the lockout check: empty when it may
     * try (end the attempt with {@link #recordFailure} or {@link #recordSuccess}), else how long it
     * must wait. It must wait while it is locked out, and while its failures in the window plus its
     * attempts in flight reach {@code maxFailures} (then {@link #BUSY_RETRY}: those attempts end in a
     * moment).
     */
    public synchronized Optional<Duration> begin(String address) {
        requireNonNull(address, "address is null");
        Optional<Duration> locked = lockedFor(address);
        if (locked.isPresent()) {
            return locked;
        }
        Instant now = clock.instant();
        Entry entry = touch(address, now);
        if (entry.failures.size() + entry.inFlight >= maxFailures) {
            return Optional.of(BUSY_RETRY);
        }
        entry.inFlight++;
        return Optional.empty();
    }

    /** How much longer {@code address} is locked out; empty when it is not. */
    public synchronized Optional<Duration> lockedFor(String address) {
        requireNonNull(address, "address is null");
        Instant now = clock.instant();
        Entry entry = entries.get(address);
        if (entry == null || !entry.lockedUntil.isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, entry.lockedUntil));
    }

    /**
     * Ends an attempt of {@code address} as failed (or counts a failure without one begun); the {@code
     * maxFailures}-th within the window starts a lockout.
     *
     * @return the lockout this failure started, if it did
     */
    public synchronized Optional<Duration> recordFailure(String address) {
        requireNonNull(address, "address is null");
        Instant now = clock.instant();
        Entry entry = touch(address, now);
        entry.inFlight = Math.max(0, entry.inFlight - 1);
        entry.failures.addLast(now);
        if (entry.failures.size() < maxFailures) {
            return Optional.empty();
        }
        entry.failures.clear();
        entry.lockedUntil = now.plus(lockout);
        return Optional.of(lockout);
    }

    /**
     * Ends an attempt of {@code address} as successful: clears its failures (a lockout in force stays:
     * it is checked first).
     */
    public synchronized void recordSuccess(String address) {
        requireNonNull(address, "address is null");
        Entry entry = entries.get(address);
        if (entry == null) {
            return;
        }
        entry.inFlight = Math.max(0, entry.inFlight - 1);
        entry.failures.clear();
        if (entry.inFlight == 0 && !entry.lockedUntil.isAfter(clock.instant())) {
            entries.remove(address);
        }
    }

    /** The entry of {@code address}, created if new, moved last (most recently touched), its old failures dropped. */
    private Entry touch(String address, Instant now) {
        evictExpired(now);
        Entry entry = entries.remove(address); // re-inserted last: most recently touched
        if (entry == null) {
            entry = new Entry();
        }
        entry.lastTouched = now;
        Instant horizon = now.minus(window);
        while (!entry.failures.isEmpty() && !entry.failures.peekFirst().isAfter(horizon)) {
            entry.failures.removeFirst();
        }
        entries.put(address, entry);
        while (entries.size() > maxAddresses) {
            Iterator<String> eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return entry;
    }

    /** How many addresses are tracked now. */
    public synchronized int trackedAddresses() {
        evictExpired(clock.instant());
        return entries.size();
    }

    /** Drops entries, oldest touch first, whose failures have left the window and whose lockout is over. */
    private void evictExpired(Instant now) {
        Instant horizon = now.minus(window);
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Entry entry = it.next().getValue();
            if (entry.lastTouched.isAfter(horizon)) {
                return; // every later entry was touched even more recently
            }
            if (!entry.lockedUntil.isAfter(now) && entry.inFlight == 0) {
                it.remove();
            }
        }
    }
}
