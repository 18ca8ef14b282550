package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one account's state and counters.
 *
 * @param channelId provider id
 * @param accountId configured account id
 * @param state current state
 * @param lastError the most recent error, redacted of secrets, if any
 * @param since when the account entered {@code state}
 * @param lastInboundAt when the last inbound message was accepted
 * @param lastOutboundAt when the last reply was delivered
 * @param restarts how many times the supervisor restarted the account
 * @param inbound messages accepted
 * @param dropped messages dropped (allowlist, duplicates are not counted here)
 * @param outbound messages delivered
 * @param failed messages that failed permanently
 * @param resumesAt while the account waits as its platform asked (a rate limit's {@code
 *     retry_after}): when receiving resumes
 * @param stalled whether the receive loop is stalled: it waits, and the wait it announced is longer
 *     than {@link #STALL_AFTER}; {@code /readyz} is not ready and {@code health} flags the account
 */
public record AccountStatus(
        String channelId,
        String accountId,
        AccountState state,
        Optional<String> lastError,
        Instant since,
        Optional<Instant> lastInboundAt,
        Optional<Instant> lastOutboundAt,
        long restarts,
        long inbound,
        long dropped,
        long outbound,
        long failed,
        Optional<Instant> resumesAt,
        boolean stalled) {
    /**
     * A wait longer than this stalls the receive loop: longer than the longest long poll (50 s), so a
     * platform's short pause is a hiccup, not an outage.
     */
    public static final Duration STALL_AFTER = Duration.ofSeconds(60);

    public AccountStatus {
        requireNonNull(channelId, "channelId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(state, "state is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(since, "since is null");
        requireNonNull(lastInboundAt, "lastInboundAt is null");
        requireNonNull(lastOutboundAt, "lastOutboundAt is null");
        requireNonNull(resumesAt, "resumesAt is null");
    }

    /**
     * Whether the account counts as working for {@code /readyz} and {@code health} (SPEC §5.2):
     * connected, degraded with a reason, or pausing briefly as its platform asked (a wait of at most
     * {@link #STALL_AFTER}). Starting, reconnecting, stopped and stalled accounts are not.
     */
    public boolean ready() {
        if (stalled) {
            return false;
        }
        return state == AccountState.CONNECTED
                || (state == AccountState.DEGRADED && lastError.isPresent())
                || resumesAt.isPresent();
    }

    /**
     * Why {@link #ready()} is false: {@code channel.account (state)}, and a stalled receive loop as
     * {@code channel.account (stalled: receiving resumes at <instant>: <reason>)}.
     */
    public String whyNotReady() {
        String account = channelId + "." + accountId;
        if (stalled) {
            return account + " (stalled: receiving resumes at "
                    + resumesAt.orElseThrow()
                    + lastError.map(error -> ": " + error).orElse("") + ")";
        }
        return account + " (" + state.wireName() + ")";
    }

    /** Reconnecting, degraded or failed: worth a warning, and its last error says why. */
    public boolean troubled() {
        return switch (state) {
            case RECONNECTING, DEGRADED, FAILED -> true;
            case STARTING, CONNECTED, STOPPED -> false;
        };
    }

    /**
     * One line for a state change, as the gateway logs it and {@code multi-channel-serve} prints it:
     * {@code channel telegram.work: reconnecting (cannot reach ...; retrying in 4 s, attempt 3)}.
     */
    public String describe() {
        return "channel " + channelId + "." + accountId + ": " + state.wireName()
                + (troubled() ? lastError.map(error -> " (" + error + ")").orElse("") : "");
    }
}
