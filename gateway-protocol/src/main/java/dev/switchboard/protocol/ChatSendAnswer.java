package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * The answer of {@code chat.send}: {@code started} for a new run ({@code chat} events follow), or for
 * a repeated idempotency key the first run's {@code in_flight}, or its end ({@code ok} with {@code
 * text}, {@code error} with {@code errorMessage}, {@code aborted}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatSendAnswer(
        String runId,
        String sessionKey,
        RunStatus status,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> text,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> errorMessage) {
    public ChatSendAnswer {
        requireNonNull(runId, "runId is null");
        requireNonNull(sessionKey, "sessionKey is null");
        requireNonNull(status, "status is null");
        requireNonNull(text, "text is null");
        requireNonNull(errorMessage, "errorMessage is null");
    }
}
