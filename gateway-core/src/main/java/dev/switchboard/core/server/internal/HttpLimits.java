package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The limits of the HTTP side of the gateway's port (SPEC §5.4), which hold before any credential
 * is checked.
 *
 * @param maxConnections open connections at most (HTTP and WebSocket alike); lowered further to stay
 *     below the process's file limit ({@link ConnectionCap}); a connection past it is closed at once
 * @param requestHeaderTimeout how long a client may take to send a request's headers, from its first
 *     byte
 * @param idleTimeout how long a connection may stay open with no request in progress (a fresh
 *     connection and one kept alive after a response); upgraded WebSockets are not affected
 */
public record HttpLimits(int maxConnections, Duration requestHeaderTimeout, Duration idleTimeout) {
    /** The built-in defaults ({@code gateway.max_connections} and the timeouts in docs/configuration.md). */
    public static final HttpLimits DEFAULTS = new HttpLimits(16_384, Duration.ofSeconds(10), Duration.ofSeconds(30));

    public HttpLimits {
        requireNonNull(requestHeaderTimeout, "requestHeaderTimeout is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
        }
        if (requestHeaderTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("requestHeaderTimeout and idleTimeout must be at least 1 ms");
        }
    }
}
