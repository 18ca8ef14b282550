package dev.switchboard.spi;

/**
 * How an adapter tells the gateway what it is doing. Calls are cheap and thread-safe; the gateway
 * turns them into {@code channel} events, {@code channels status} lines and metrics.
 */
public interface StatusReporter {
    /** The account is receiving and can send. Resets the supervisor's restart backoff. */
    void connected();

    /**
     * The connection was lost and the adapter is retrying by itself (with its own backoff).
     *
     * @param reason what happened, one line without secrets
     */
    void reconnecting(String reason);

    /**
     * The account runs but is impaired, for example a 409 from a competing poller.
     *
     * @param reason what is wrong, one line without secrets
     */
    void degraded(String reason);

    /**
     * The platform told the adapter to wait before asking again (Telegram's {@code retry_after}, a
     * rate limit): receiving pauses for {@code wait}. The gateway shows the account {@code
     * reconnecting} with the time it resumes, and {@code /readyz} reports the receive loop stalled
     * while the wait is longer than a poll. Call {@link #connected()} when receiving resumes.
     * Adapters cap what they accept from the platform (a {@code retry_after} of 2^31 s is a bug on
     * one side, not a reason to stop for 68 years). Default: {@link #reconnecting(String)}.
     *
     * @param reason why the adapter waits, one line without secrets
     * @param wait how long receiving pauses
     */
    default void waiting(String reason, java.time.Duration wait) {
        reconnecting(reason + " (waiting " + wait.toSeconds() + " s)");
    }

    /**
     * The adapter received something it cannot turn into a message (a malformed update, a payload
     * in an unknown shape) and skipped it: its cursor moves past it so it never comes again. The
     * gateway counts it as dropped and logs {@code reason}, which names the platform's id for the
     * item and never its content. Default: nothing, so adapters written against 1.0 still compile.
     *
     * @param reason what was skipped and why, e.g. {@code "update 42: entity offset past the text"}
     */
    default void skipped(String reason) {}

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
     *
     * @param reason what failed, one line without secrets
     * @param permanent true when no restart can fix it
     */
    void failed(String reason, boolean permanent);
}
