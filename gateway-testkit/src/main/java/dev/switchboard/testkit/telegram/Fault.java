package dev.switchboard.testkit.telegram;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * A scripted failure for {@link FakeBot#failNext}: an error answer in Telegram's shape, a dropped connection,
 * or a late answer.
 */
public sealed interface Fault {
    /**
     * 429 {@code Too Many Requests: retry after N} with {@code parameters.retry_after = N}; any size, so a
     * test can send the 2^31 s a broken server once did.
     */
    static Fault tooManyRequests(long retryAfterSeconds) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds: " + retryAfterSeconds + " (expected: >= 0)");
        }
        return new ErrorAnswer(
                429, "Too Many Requests: retry after " + retryAfterSeconds, Map.of("retry_after", retryAfterSeconds));
    }

    /** A 5xx answer (500, 502, 503, ...) in Telegram's error shape. */
    static Fault serverError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 500..599)");
        }
        String description =
                switch (status) {
                    case 500 -> "Internal Server Error";
                    case 502 -> "Bad Gateway";
                    case 503 -> "Service Unavailable";
                    case 504 -> "Gateway Timeout";
                    default -> "Server Error";
                };
        return new ErrorAnswer(status, description, Map.of());
    }

    /** Closes the socket without an HTTP answer; the request is not handled. */
    static Fault dropConnection() {
        return new DropConnection(false);
    }

    /**
     * Handles the request (a {@code sendMessage} is delivered) but closes the socket instead of answering:
     * the client cannot tell whether it went through.
     */
    static Fault dropConnectionAfterHandling() {
        return new DropConnection(true);
    }

    /** Handles the request normally, but only after {@code delay}. */
    static Fault delay(Duration delay) {
        requireNonNull(delay, "delay is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
        }
        return new Delay(delay);
    }

    /** 403, e.g. {@code "Forbidden: bot was blocked by the user"} (the prefix is added when missing). */
    static Fault forbidden(String description) {
        return new ErrorAnswer(403, prefixed("Forbidden: ", description), Map.of());
    }

    /** 400 with {@code description} (the {@code "Bad Request: "} prefix is added when missing). */
    static Fault badRequest(String description) {
        return new ErrorAnswer(400, prefixed("Bad Request: ", description), Map.of());
    }

    /** 400 {@code group chat was upgraded to a supergroup chat} with {@code parameters.migrate_to_chat_id}. */
    static Fault migrateTo(long newChatId) {
        return new ErrorAnswer(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                Map.of("migrate_to_chat_id", newChatId));
    }

    /** 409 {@code Conflict: terminated by other getUpdates request; ...}. */
    static Fault conflict() {
        return new ErrorAnswer(409, FakeBot.CONFLICT_OTHER_POLLER, Map.of());
    }

    private static String prefixed(String prefix, String description) {
        requireNonNull(description, "description is null");
        return description.startsWith(prefix) ? description : prefix + description;
    }

    /** Answers {@code {"ok":false,"error_code":status,"description",...,"parameters":{...}}}. */
    record ErrorAnswer(int status, String description, Map<String, Long> parameters) implements Fault {
        public ErrorAnswer {
            requireNonNull(description, "description is null");
            parameters = Map.copyOf(parameters);
        }

        ApiError toError() {
            return new ApiError(status, description, parameters);
        }
    }

    /** Closes the connection without answering, before or after handling the request. */
    record DropConnection(boolean afterHandling) implements Fault {}

    /** Handles the request after a pause. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            requireNonNull(delay, "delay is null");
        }
    }
}
