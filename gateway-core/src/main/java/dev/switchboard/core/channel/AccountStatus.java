package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

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
        long failed) {
    public AccountStatus {
        requireNonNull(channelId, "channelId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(state, "state is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(since, "since is null");
        requireNonNull(lastInboundAt, "lastInboundAt is null");
        requireNonNull(lastOutboundAt, "lastOutboundAt is null");
    }
}
