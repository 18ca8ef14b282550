package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How the fake refuses a WebSocket handshake: an HTTP answer without the upgrade, carrying the headers the SDKs
 * read ({@code Handshake-Status}, {@code Handshake-Msg}, {@code Handshake-Autherrcode}). The HTTP status the real
 * server uses is not documented; clients must read the headers.
 */
public record HandshakeRejection(int httpStatus, int handshakeStatus, String message, Optional<Integer> authErrorCode) {
    /** The SDKs' code for "too many connections for this app" (a client error: not retried). */
    public static final int EXCEED_CONN_LIMIT = 1000040350;

    public HandshakeRejection {
        requireNonNull(message, "message is null");
        requireNonNull(authErrorCode, "authErrorCode is null");
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus: " + httpStatus + " (expected: 400..599)");
        }
    }

    /** {@code 514} auth failed (a server error for the SDKs: they reconnect later). */
    public static HandshakeRejection authFailed(String message) {
        return new HandshakeRejection(401, 514, message, Optional.empty());
    }

    /** {@code 403} forbidden, e.g. the app is banned (a client error: the SDKs give up). */
    public static HandshakeRejection forbidden(String message) {
        return new HandshakeRejection(403, 403, message, Optional.empty());
    }

    /** {@code 514} with {@code Handshake-Autherrcode: 1000040350}: the app's connection limit is reached. */
    public static HandshakeRejection connectionLimitExceeded() {
        return new HandshakeRejection(401, 514, "exceed connection limit", Optional.of(EXCEED_CONN_LIMIT));
    }
}
