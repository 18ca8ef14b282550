package dev.switchboard.protocol;

/** The closed set of error codes in {@code res.error.code}. */
public final class ErrorCodes {
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    public static final String FORBIDDEN = "FORBIDDEN";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String PROTOCOL_MISMATCH = "PROTOCOL_MISMATCH";
    public static final String UNAVAILABLE = "UNAVAILABLE";
    public static final String RATE_LIMITED = "RATE_LIMITED";
    public static final String AGENT_TIMEOUT = "AGENT_TIMEOUT";
    public static final String INTERNAL = "INTERNAL";

    private ErrorCodes() {}
}
