package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link GatewayClient} could not connect, or a call could not be completed. {@link #code()} is
 * the gateway's error code when the gateway answered (one of {@link ErrorCodes}), else one of the
 * client-side codes below. Messages never contain a secret.
 */
public class GatewayClientException extends RuntimeException {
    /** No TCP/WebSocket connection could be made to the gateway. */
    public static final String UNREACHABLE = "UNREACHABLE";
    /** The gateway closed the socket, or broke the protocol, before the handshake finished. */
    public static final String HANDSHAKE_FAILED = "HANDSHAKE_FAILED";
    /** A call was made while the client was not connected. */
    public static final String NOT_CONNECTED = "NOT_CONNECTED";
    /** The socket closed before the response arrived. */
    public static final String CLOSED = "CLOSED";
    /** No response (or no handshake) within the configured timeout. */
    public static final String TIMEOUT = "TIMEOUT";
    /** The request is larger than the gateway's {@code policy.maxPayload}; it was not sent. */
    public static final String TOO_BIG = "TOO_BIG";
    /** The gateway answered with a payload this client cannot read (a field missing or mistyped). */
    public static final String BAD_PAYLOAD = "BAD_PAYLOAD";

    private final String code;
    private final @Nullable ErrorShape error;

    public GatewayClientException(String code, String message) {
        this(code, message, null, null);
    }

    public GatewayClientException(String code, String message, @Nullable Throwable cause) {
        this(code, message, null, cause);
    }

    /** The gateway answered with {@code error}; the message is the gateway's, verbatim. */
    public GatewayClientException(ErrorShape error) {
        this(requireNonNull(error, "error is null").code(), error.message(), error, null);
    }

    private GatewayClientException(String code, String message, @Nullable ErrorShape error, @Nullable Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
        this.error = error;
    }

    public String code() {
        return code;
    }

    /** Never null: the constructor requires a message. */
    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage());
    }

    /** The error the gateway answered with, when it answered. */
    public Optional<ErrorShape> error() {
        return Optional.ofNullable(error);
    }
}
