package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

/**
 * What {@link InboundRepository#accept} did: stored the message, or found it already stored under the
 * same dedup key (channel, account, platform message id).
 *
 * @param status accepted or duplicate
 * @param id the inbound row id: the new row, or the row that already held the key
 */
public record AcceptResult(Status status, long id) {
    /** Whether the message was new. */
    public enum Status {
        /** Stored now; the reply loop should answer it. */
        ACCEPTED,
        /** Already stored; acknowledge it to the platform and drop it. */
        DUPLICATE
    }

    public AcceptResult {
        requireNonNull(status, "status is null");
    }

    public static AcceptResult accepted(long id) {
        return new AcceptResult(Status.ACCEPTED, id);
    }

    public static AcceptResult duplicate(long existingId) {
        return new AcceptResult(Status.DUPLICATE, existingId);
    }

    public boolean isDuplicate() {
        return status == Status.DUPLICATE;
    }
}
