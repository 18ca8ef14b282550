package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.OptionalLong;

/**
 * One agent heartbeat run: the {@code heartbeat} event every authenticated socket receives, and the
 * {@code last} of {@code last-heartbeat}.
 *
 * @param status {@code ok} (the agent answered), {@code error} (the run failed, or the gateway
 *     stopped while it ran) or {@code aborted}
 * @param delivered whether the answer went to the target's outbox (an answer equal to the "nothing
 *     to report" text delivers nothing)
 * @param at when the run ended, epoch ms
 * @param nextAt when the next scheduled run is due, epoch ms; absent while heartbeats are off
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeartbeatEvent(
        String runId,
        RunStatus status,
        boolean delivered,
        long at,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) OptionalLong nextAt) {
    public HeartbeatEvent {
        requireNonNull(runId, "runId is null");
        requireNonNull(status, "status is null");
        requireNonNull(nextAt, "nextAt is null");
    }
}
