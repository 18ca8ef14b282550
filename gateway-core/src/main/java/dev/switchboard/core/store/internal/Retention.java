package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * What the store keeps and for how long (docs/store.md, Retention): delivered and failed outbox rows
 * and answered inbound messages for {@link #KEEP}, idempotency keys for {@link
 * IdempotencyRepository#TTL}. Pending outbox rows and unanswered messages are never purged.
 */
public final class Retention {
    /** How long finished outbox rows and answered inbound messages are kept. */
    public static final Duration KEEP = Duration.ofDays(7);

    /** What one purge deleted. */
    public record Purged(int outbox, int inbound, int idempotency) {
        public int total() {
            return outbox + inbound + idempotency;
        }
    }

    private Retention() {}

    /** Deletes what is past its retention at {@code now}; outbox rows first, which inbound rows reference. */
    public static Purged purge(Store store, Instant now) {
        requireNonNull(store, "store is null");
        requireNonNull(now, "now is null");
        Instant cutoff = now.minus(KEEP);
        int outbox = store.outbox().purgeFinished(cutoff);
        int inbound = store.inbound().purgeAnswered(cutoff);
        int idempotency = store.idempotency().purgeExpired(now);
        return new Purged(outbox, inbound, idempotency);
    }
}
