package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * A scripted failure of one HTTP API call ({@link FakeFeishuApp#failNext}): an error answer in Feishu's shape, a
 * 5xx from the gateway in front, a dropped connection, or a late answer.
 */
public sealed interface Fault {
    /** The platform's frequency-limit code, answered with HTTP 429. */
    int RATE_LIMITED = 99991400;
    /** The bot is not in the chat (send or reply into a chat it left or was removed from). */
    int BOT_NOT_IN_CHAT = 230002;
    /** The message replied to was withdrawn (recalled) by its sender. */
    int MESSAGE_WITHDRAWN = 230011;
    /** Endpoint bootstrap: "system busy", retried by the SDKs. */
    int SYSTEM_BUSY = 1;
    /** Endpoint bootstrap: internal error, retried by the SDKs. */
    int ENDPOINT_INTERNAL_ERROR = 1000040343;
    /** Endpoint bootstrap: the App ID or App Secret is invalid (a client error: never retried). */
    int ENDPOINT_INVALID_CREDENTIALS = 1000040345;

    /**
     * HTTP 429 {@code {"code":99991400,"msg":"request trigger frequency limit"}} with {@code x-ogw-ratelimit-limit}
     * and {@code x-ogw-ratelimit-reset: resetSeconds} (seconds until the limit resets).
     */
    static Fault rateLimited(int resetSeconds) {
        if (resetSeconds < 0) {
            throw new IllegalArgumentException("resetSeconds: " + resetSeconds + " (expected: >= 0)");
        }
        return new ErrorAnswer(
                429,
                RATE_LIMITED,
                "request trigger frequency limit",
                Map.of("x-ogw-ratelimit-limit", "50", "x-ogw-ratelimit-reset", Integer.toString(resetSeconds)));
    }

    /** HTTP 400 {@code 230002 Bot/User can NOT be out of the chat.} */
    static Fault botNotInChat() {
        return platformError(400, BOT_NOT_IN_CHAT, "Bot/User can NOT be out of the chat.");
    }

    /** HTTP 400 {@code 230011 The message was withdrawn.} */
    static Fault messageWithdrawn() {
        return platformError(400, MESSAGE_WITHDRAWN, "The message was withdrawn.");
    }

    /** For {@link Api#ENDPOINT}: HTTP 200 {@code {"code":1,"msg":"system busy"}}. */
    static Fault systemBusy() {
        return platformError(200, SYSTEM_BUSY, "system busy");
    }

    /** For {@link Api#ENDPOINT}: HTTP 200 {@code {"code":1000040343,"msg":"internal error"}}. */
    static Fault endpointInternalError() {
        return platformError(200, ENDPOINT_INTERNAL_ERROR, "internal error");
    }

    /** For {@link Api#ENDPOINT}: HTTP 200 code 1000040345, as for a wrong App Secret. */
    static Fault endpointInvalidCredentials() {
        return platformError(200, ENDPOINT_INVALID_CREDENTIALS, "the App ID or App Secret is invalid");
    }

    /** Any answer {@code {"code":code,"msg":msg,...}} with {@code httpStatus}. */
    static Fault platformError(int httpStatus, int code, String msg) {
        return new ErrorAnswer(httpStatus, code, msg, Map.of());
    }

    /** A 5xx from the gateway in front of the API: a plain-text body, not Feishu's JSON. */
    static Fault serverError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 500..599)");
        }
        return new ServerError(status);
    }

    /** Closes the socket without an answer; the request is not handled. */
    static Fault dropConnection() {
        return new DropConnection(false);
    }

    /**
     * Handles the request (a message is sent) but closes the socket instead of answering: the client cannot tell
     * whether it went through.
     */
    static Fault dropConnectionAfterHandling() {
        return new DropConnection(true);
    }

    /** Handles the request normally, after {@code delay}. */
    static Fault delay(Duration delay) {
        requireNonNull(delay, "delay is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
        }
        return new Delay(delay);
    }

    /** Answers {@code {"code":code,"msg":msg}} with {@code httpStatus} and extra response headers. */
    record ErrorAnswer(int httpStatus, int code, String msg, Map<String, String> headers) implements Fault {
        public ErrorAnswer {
            requireNonNull(msg, "msg is null");
            headers = Map.copyOf(headers);
            if (httpStatus < 200 || httpStatus > 599) {
                throw new IllegalArgumentException("httpStatus: " + httpStatus + " (expected: 200..599)");
            }
        }
    }

    /** A plain-text 5xx. */
    record ServerError(int status) implements Fault {}

    /** Closes the connection without answering, before or after handling the request. */
    record DropConnection(boolean afterHandling) implements Fault {}

    /** Handles the request after a pause. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            requireNonNull(delay, "delay is null");
        }
    }
}
