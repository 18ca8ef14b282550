package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * One record of the gateway's log file, as {@code logs.tail} answers it and {@code switchboard logs
 * --json} prints it.
 *
 * @param time when it was logged
 * @param level {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR}
 * @param logger the logger's name
 * @param thread the thread that logged it
 * @param message the formatted message
 * @param channel the {@code channel} MDC key, when set
 * @param account the {@code account} MDC key, when set
 * @param session the {@code session} MDC key, when set
 * @param runId the {@code runId} MDC key, when set
 * @param throwable the exception logged with it, as a stack trace text ({@code Caused by:} lines
 *     included)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LogLine(
        Instant time,
        String level,
        String logger,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> thread,
        String message,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> channel,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> account,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> session,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> runId,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> throwable) {
    public LogLine {
        requireNonNull(time, "time is null");
        requireNonNull(level, "level is null");
        requireNonNull(logger, "logger is null");
        requireNonNull(thread, "thread is null");
        requireNonNull(message, "message is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
        requireNonNull(session, "session is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(throwable, "throwable is null");
    }
}
