package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reassembles the long connection's fragmented events: the parts of one event share a {@code message_id}
 * header, {@code sum} says how many there are and {@code seq} (0-based) where each goes; they may arrive in
 * any order. Memory is bounded: an event not complete within the TTL is forgotten (the platform pushes it
 * again, unacknowledged), and at most {@code maxOpen} events are open at once (the oldest is forgotten first).
 * Used by the receive thread only.
 */
public final class FragmentBuffer {
    /** Longer than the platform's ack window (3 s): the parts of one push come together. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    public static final int DEFAULT_MAX_OPEN = 64;

    /** More parts than this for one event is not a real push (events are at most about 1 MB). */
    static final int MAX_PARTS = 1024;

    private final Duration ttl;
    private final int maxOpen;
    private final Map<String, Pending> open = new LinkedHashMap<>();

    public FragmentBuffer(Duration ttl, int maxOpen) {
        this.ttl = requireNonNull(ttl, "ttl is null");
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen: " + maxOpen + " (expected: at least 1)");
        }
        this.maxOpen = maxOpen;
    }

    /** A part that cannot belong to any event. */
    public static final class BadFragmentException extends Exception {
        BadFragmentException(String message) {
            super(message);
        }
    }

    /**
     * Adds part {@code seq} of {@code sum} of event {@code messageId}; returns the whole payload once every
     * part has arrived (then the event is no longer open), else empty. A part seen before is ignored.
     */
    public Optional<byte[]> add(String messageId, int sum, int seq, byte[] part, Instant now)
            throws BadFragmentException {
        requireNonNull(messageId, "messageId is null");
        requireNonNull(part, "part is null");
        if (sum < 1 || sum > MAX_PARTS || seq < 0 || seq >= sum) {
            throw new BadFragmentException(
                    "fragment seq " + seq + " of sum " + sum + " (expected: 0 <= seq < sum <= " + MAX_PARTS + ")");
        }
        if (sum == 1) {
            return Optional.of(part);
        }
        expire(now);
        Pending pending = open.get(messageId);
        if (pending != null && pending.parts.length != sum) {
            open.remove(messageId); // the platform re-split it: start over with this push
            pending = null;
        }
        if (pending == null) {
            while (open.size() >= maxOpen) {
                Iterator<String> oldest = open.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            pending = new Pending(new byte[sum][], now);
            open.put(messageId, pending);
        }
        if (pending.parts[seq] == null) {
            pending.parts[seq] = part;
            pending.missing--;
        }
        if (pending.missing > 0) {
            return Optional.empty();
        }
        open.remove(messageId);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] each : pending.parts) {
            whole.writeBytes(requireNonNull(each));
        }
        return Optional.of(whole.toByteArray());
    }

    /** How many events wait for parts. */
    public int openEvents() {
        return open.size();
    }

    private void expire(Instant now) {
        open.values().removeIf(pending -> pending.started.plus(ttl).isBefore(now));
    }

    private static final class Pending {
        final byte[][] parts;
        final Instant started;
        int missing;

        Pending(byte[][] parts, Instant started) {
            this.parts = parts;
            this.started = started;
            this.missing = parts.length;
        }
    }
}
