package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A claimed idempotency key of {@code chat.send}, {@code agent} or {@code send} (SPEC §5.3).
 *
 * @param key the client's idempotency key
 * @param kind the method that claimed it
 * @param runId the run (or send) the key belongs to
 * @param createdAt when it was claimed; the key is honoured for 5 minutes from here
 * @param completedAt when its result was recorded
 * @param resultJson the final result to return to a repeated request; empty while in flight
 */
public record IdempotencyRecord(
        String key,
        String kind,
        String runId,
        Instant createdAt,
        Optional<Instant> completedAt,
        Optional<String> resultJson) {
    public IdempotencyRecord {
        requireNonNull(key, "key is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(completedAt, "completedAt is null");
        requireNonNull(resultJson, "resultJson is null");
    }

    /** True while the run has no recorded result ({@code in_flight}). */
    public boolean inFlight() {
        return resultJson.isEmpty();
    }
}
