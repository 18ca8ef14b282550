package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;

/**
 * A command could not get what it needed from the gateway: it is not running, cannot be reached,
 * refused the connection or answered a call with an error. The message is for the operator (one or
 * more lines, never a secret); it exits 1.
 */
public final class GatewayRpcException extends SwitchboardException {
    /** The local state dir has no running owner. */
    public static final String NOT_RUNNING = "NOT_RUNNING";
    /** The server that answered is not the owner named by owner.json. */
    public static final String IDENTITY_MISMATCH = "IDENTITY_MISMATCH";

    private final String code;
    private final boolean answered;

    /**
     * @param code the gateway's error code when it answered (UNAUTHORIZED, ...), a client code of
     *     {@code GatewayClientException} (UNREACHABLE, TIMEOUT, ...), or one of the codes above
     * @param answered whether a gateway answered (with an error), as opposed to no answer at all
     */
    public GatewayRpcException(String code, boolean answered, String message) {
        super(Kind.RUNTIME, message);
        this.code = requireNonNull(code, "code is null");
        this.answered = answered;
    }

    public String code() {
        return code;
    }

    /** Whether a gateway answered, with an error: it is up, but refused or failed the request. */
    public boolean answered() {
        return answered;
    }
}
