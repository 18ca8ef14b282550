package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one long connection: whether it subscribed, the pings it sent, and, once closed, when and why
 * ({@code closeReason}: {@code "client closed"}, {@code "taken over by <connection>"}, {@code "heartbeat
 * timeout"}, {@code "closed by the fake"}, {@code "severed by the fake"}, ...).
 */
public record ConnectedClient(
        String connectionId,
        Instant openedAt,
        boolean subscribed,
        int pings,
        boolean silenced,
        Optional<Instant> closedAt,
        Optional<String> closeReason) {
    public ConnectedClient {
        requireNonNull(connectionId, "connectionId is null");
        requireNonNull(openedAt, "openedAt is null");
        requireNonNull(closedAt, "closedAt is null");
        requireNonNull(closeReason, "closeReason is null");
    }

    public boolean isOpen() {
        return closedAt.isEmpty();
    }
}
