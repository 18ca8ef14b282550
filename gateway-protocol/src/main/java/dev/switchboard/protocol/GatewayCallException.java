package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

/**
 * The gateway answered a call with {@code ok:false}. The message is the gateway's, verbatim;
 * {@link #error()} carries the whole {@link ErrorShape} (code, details, retryable, retryAfterMs).
 */
public final class GatewayCallException extends GatewayClientException {
    private final String method;

    public GatewayCallException(String method, ErrorShape error) {
        super(error);
        this.method = requireNonNull(method, "method is null");
    }

    public String method() {
        return method;
    }

    /** The gateway's error; always present for a call exception. */
    public ErrorShape errorShape() {
        return error().orElseThrow();
    }
}
