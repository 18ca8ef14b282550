package dev.switchboard.protocol;

/** WebSocket close codes the gateway and its clients use. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int PROTOCOL_MISMATCH = 1002;
    /** Handshake, auth, origin or slow-consumer policy. */
    public static final int POLICY = 1008;

    public static final int TOO_BIG = 1009;
    /** Service restart, after a {@code shutdown} event. */
    public static final int RESTART = 1012;

    public static final int STARTING = 1013;
    /** Client side: two tick intervals passed without a frame. */
    public static final int TICK_TIMEOUT = 4000;
    /** The secret this socket authenticated with was rotated. */
    public static final int AUTH_CHANGED = 4001;

    private CloseCodes() {}
}
