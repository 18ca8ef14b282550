package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

/** A frame or its params broke the protocol; {@link #code()} is the error code to answer with. */
public class ProtocolException extends RuntimeException {
    private final String code;

    public ProtocolException(String code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCodes.INVALID_REQUEST, message);
    }

    public String code() {
        return code;
    }

    /** Never null: the constructor requires a message. */
    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage());
    }
}
