package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * A run's final answer: the second answer of {@code agent} (the only one for a repeat of a finished
 * run) and the answer of {@code agent.wait}: {@code ok}, {@code error} or {@code aborted} with the
 * result and how long the turn ran; or, from {@code agent.wait} only, {@code timeout} with neither.
 *
 * @param sessionKey the run's session; absent on {@code timeout}
 * @param result the reply; for {@code error} the user-facing apology; empty for {@code aborted}
 * @param meta how long the turn ran (queue wait excluded)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record AgentResult(
        String runId, Optional<String> sessionKey, RunStatus status, Optional<Result> result, Optional<Meta> meta) {
    public AgentResult {
        requireNonNull(runId, "runId is null");
        requireNonNull(sessionKey, "sessionKey is null");
        requireNonNull(status, "status is null");
        requireNonNull(result, "result is null");
        requireNonNull(meta, "meta is null");
    }

    /** A run that ended. */
    public static AgentResult ended(String runId, String sessionKey, RunStatus status, String text, long durationMs) {
        return new AgentResult(
                runId,
                Optional.of(sessionKey),
                status,
                Optional.of(new Result(text)),
                Optional.of(new Meta(durationMs)));
    }

    /** {@code agent.wait}: the run had not ended in time. */
    public static AgentResult timeout(String runId) {
        return new AgentResult(runId, Optional.empty(), RunStatus.TIMEOUT, Optional.empty(), Optional.empty());
    }

    /** {@code result}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(String text) {
        public Result {
            requireNonNull(text, "text is null");
        }
    }

    /** {@code meta}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Meta(long durationMs) {}
}
