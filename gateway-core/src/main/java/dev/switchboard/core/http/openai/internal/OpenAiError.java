package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.http.internal.HttpAccess;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An error in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}, with its HTTP
 * status. The official clients pick their exception class from the status (400 {@code
 * BadRequestError}, 401 {@code AuthenticationError}, 403 {@code PermissionDeniedError}, 429 {@code
 * RateLimitError}, 5xx {@code InternalServerError}) and retry 429 and 5xx unless {@code
 * x-should-retry: false} says a retry cannot help.
 *
 * @param param the request field at fault, or null
 * @param code a stable lower-case id, or null
 * @param retry the {@code x-should-retry} header, when the status alone would mislead a client
 */
record OpenAiError(
        int status,
        String type,
        @Nullable String param,
        @Nullable String code,
        String message,
        Optional<Boolean> retry,
        Optional<Duration> retryAfter) {
    static final String INVALID_REQUEST = "invalid_request_error";
    static final String SERVER_ERROR = "server_error";
    private static final HttpString SHOULD_RETRY = new HttpString("x-should-retry");

    OpenAiError {
        requireNonNull(type, "type is null");
        requireNonNull(message, "message is null");
        requireNonNull(retry, "retry is null");
        requireNonNull(retryAfter, "retryAfter is null");
    }

    /** 400 for a request the client must change: {@code param} names the field, the message what was expected. */
    static OpenAiError invalid(@Nullable String param, String message) {
        return new OpenAiError(
                400, INVALID_REQUEST, param, "invalid_request", message, Optional.empty(), Optional.empty());
    }

    static OpenAiError of(int status, String type, String code, String message) {
        return new OpenAiError(status, type, null, code, message, Optional.empty(), Optional.empty());
    }

    /** A refusal of the gateway's HTTP gate: 401 bad credential, 403 origin, 429 locked out (no retry helps). */
    static OpenAiError refused(HttpAccess.Refusal refusal) {
        String type =
                switch (refusal.status()) {
                    case 401 -> "authentication_error";
                    case 403 -> "permission_error";
                    case 429 -> "rate_limit_error";
                    default -> INVALID_REQUEST;
                };
        Optional<Boolean> retry = refusal.status() == 429 ? Optional.of(false) : Optional.empty();
        return new OpenAiError(
                refusal.status(),
                type,
                null,
                refusal.code().toLowerCase(Locale.ROOT),
                refusal.message(),
                retry,
                refusal.retryAfter());
    }

    OpenAiError withRetry(boolean shouldRetry) {
        return new OpenAiError(status, type, param, code, message, Optional.of(shouldRetry), retryAfter);
    }

    ObjectNode toJson() {
        ObjectNode error = OpenAiJson.object();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode body = OpenAiJson.object();
        body.set("error", error);
        return body;
    }

    /** Answers the exchange with this error (its response must not have started). */
    void send(HttpServerExchange exchange) {
        exchange.setStatusCode(status);
        retry.ifPresent(value -> exchange.getResponseHeaders().put(SHOULD_RETRY, value.toString()));
        retryAfter.ifPresent(wait ->
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds()))));
        OpenAiJson.send(exchange, toJson());
    }
}
