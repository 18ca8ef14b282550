package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * One channel account's state and counters: the payload of the {@code channel} event and each entry
 * of {@code channels.status}. Absent optionals other than {@code probe} are {@code null} on the wire.
 *
 * @param lastError the most recent error, redacted of secrets
 * @param since when the account entered {@code state}
 * @param lastInboundAt when the last inbound message was accepted
 * @param lastOutboundAt when the last reply was delivered
 * @param restarts adapter restarts by the supervisor
 * @param inbound messages accepted
 * @param dropped messages dropped (not allowlisted)
 * @param outbound messages delivered
 * @param failed messages that failed permanently
 * @param resumesAt while the account waits as its platform asked (a rate limit's {@code
 *     retry_after}): when receiving resumes
 * @param probe the credential check; only with {@code channels.status {probe:true}}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChannelStatus(
        String channel,
        String account,
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
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Probe> probe) {
    public ChannelStatus {
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
        requireNonNull(state, "state is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(since, "since is null");
        requireNonNull(lastInboundAt, "lastInboundAt is null");
        requireNonNull(lastOutboundAt, "lastOutboundAt is null");
        requireNonNull(resumesAt, "resumesAt is null");
        requireNonNull(probe, "probe is null");
    }
}
