package dev.switchboard.core.channel;

/** The state of one running channel account, as shown by {@code channels status}. */
public enum AccountState {
    /** Being started: connecting, fetching tokens, subscribing. */
    STARTING,
    /** Receiving and able to send. */
    CONNECTED,
    /** Lost its connection and trying again with backoff; {@code lastError} says why. */
    RECONNECTING,
    /** Running but impaired (a secret could not be resolved, the platform refuses a feature...). */
    DEGRADED,
    /** Closed on purpose. */
    STOPPED,
    /** Failed; the supervisor restarts it with backoff unless the failure is permanent. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
