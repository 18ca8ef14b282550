package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The first answer of {@code agent}: status {@code "accepted"} (a new run) or {@code "in_flight"} (a repeated
 * idempotency key of a run still going); the {@link AgentResult} follows on the same request id.
 *
 * @param acceptedAt when the run was claimed, epoch ms
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentAccepted(String runId, String sessionKey, RunStatus status, long acceptedAt) {
    public AgentAccepted {
        requireNonNull(runId, "runId is null");
        requireNonNull(sessionKey, "sessionKey is null");
        requireNonNull(status, "status is null");
    }
}
