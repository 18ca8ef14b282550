package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * {@code wake}'s answer (and {@code POST /hooks/wake}'s).
 *
 * @param mode {@code now} or {@code next-heartbeat}
 * @param runId the heartbeat run started, with mode {@code now}; its end is a {@code heartbeat} event
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WakeAnswer(String mode, @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> runId) {
    /** {@code wake}'s modes. */
    public static final String NOW = "now";

    public static final String NEXT_HEARTBEAT = "next-heartbeat";

    public WakeAnswer {
        requireNonNull(mode, "mode is null");
        requireNonNull(runId, "runId is null");
    }
}
