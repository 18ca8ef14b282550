package dev.switchboard.protocol;

/** Version and limits of the control protocol (SPEC §5.3). */
public final class Protocol {
    /** The protocol version this build speaks; a client offers a {@code [min, max]} range. */
    public static final int VERSION = 1;

    /** Largest frame before the handshake completes; a larger one is closed with 1009. */
    public static final int MAX_PREAUTH_PAYLOAD_BYTES = 64 * 1024;

    /** Largest frame after the handshake (configurable on the server). */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

    /** A socket whose unsent data passes this is closed 1008 "slow consumer". */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 8L * 1024 * 1024;

    public static final long DEFAULT_TICK_INTERVAL_MS = 15_000;

    /** The connect request must arrive within this after the socket opens. */
    public static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    /**
     * The {@code error} of the HTTP 503 a connection past the gateway's connection cap gets, so a
     * probe can tell a gateway at its cap from something else on the port.
     */
    public static final String CONNECTION_CAP_ERROR = "too many open connections: try again later";

    private Protocol() {}
}
