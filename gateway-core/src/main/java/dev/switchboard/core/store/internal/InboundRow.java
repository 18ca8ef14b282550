package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.InboundMessage;
import java.time.Instant;
import java.util.Optional;

/**
 * An accepted inbound message.
 *
 * @param id row id
 * @param message the message as accepted
 * @param sessionKey the session it belongs to
 * @param acceptedAt when its row was committed
 * @param answeredAt when its reply was put in the outbox; empty while unanswered
 */
public record InboundRow(
        long id, InboundMessage message, String sessionKey, Instant acceptedAt, Optional<Instant> answeredAt) {
    public InboundRow {
        requireNonNull(message, "message is null");
        requireNonNull(sessionKey, "sessionKey is null");
        requireNonNull(acceptedAt, "acceptedAt is null");
        requireNonNull(answeredAt, "answeredAt is null");
    }

    public boolean answered() {
        return answeredAt.isPresent();
    }
}
