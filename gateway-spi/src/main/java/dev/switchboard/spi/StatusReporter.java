package dev.switchboard.spi;

/**
 * How an adapter tells the gateway what it is doing. Calls are cheap and thread-safe; the gateway
 * turns them into {@code channel} events, {@code channels status} lines and metrics.
 */
public interface StatusReporter {
    /** The account is receiving and can send. Resets the supervisor's restart backoff. */
    void connected();

    /** The connection was lost and the adapter is retrying by itself (with its own backoff). */
    void reconnecting(String reason);

    /** The account runs but is impaired, for example a 409 from a competing poller. */
    void degraded(String reason);

    /**
     * Nothing to do: the gateway counts a delivery itself when {@link ChannelAdapter#send} returns
     * (an adapter that forgot to report would show {@code OUT 0} forever). Kept so adapters written
     * against the first SPI still compile.
     */
    @Deprecated
    default void outboundDelivered() {}

    /**
     * The adapter cannot go on: the supervisor closes it and, unless {@code permanent}, starts a
     * new one after an exponential backoff with jitter. Use {@code permanent} for failures no retry
     * fixes (a revoked token: 401/403), so the account shows {@code failed} instead of looping.
     */
    void failed(String reason, boolean permanent);
}
