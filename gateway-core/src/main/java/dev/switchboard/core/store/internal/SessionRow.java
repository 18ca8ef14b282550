package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The current session of a session key.
 *
 * @param id session id; a reset gives the key a new one
 * @param sessionKey {@code <channel>:<account>:<conversation>[:<thread>]}
 * @param createdAt when the session started
 * @param lastActivityAt when it was created or last had a turn appended
 */
public record SessionRow(long id, String sessionKey, Instant createdAt, Instant lastActivityAt) {
    public SessionRow {
        requireNonNull(sessionKey, "sessionKey is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(lastActivityAt, "lastActivityAt is null");
    }
}
