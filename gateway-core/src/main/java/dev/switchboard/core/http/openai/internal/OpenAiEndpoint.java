package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.http.internal.HttpAccess;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The gate in front of each route of the API, in the order a request meets it: a CORS preflight is
 * answered; a wrong method is 405 with {@code Allow}; a browser's Origin is checked (403); a disabled
 * API is 403 naming the key that enables it (the official clients raise {@code
 * PermissionDeniedError}, which no client retries, where a 404 would send its user looking for a
 * wrong base URL); then the bearer credential (401, or 429 when locked out). Errors are OpenAI's shape.
 */
final class OpenAiEndpoint implements HttpHandler {
    /** What the route does once the request passed the gate; called on the I/O thread. */
    @FunctionalInterface
    interface Work {
        void handle(HttpServerExchange exchange) throws Exception;
    }

    private final HttpAccess access;
    private final String method;
    private final String enabledKey;
    private final BooleanSupplier enabled;
    private final Work work;

    OpenAiEndpoint(HttpAccess access, String method, String enabledKey, BooleanSupplier enabled, Work work) {
        this.access = requireNonNull(access, "access is null");
        this.method = requireNonNull(method, "method is null");
        this.enabledKey = requireNonNull(enabledKey, "enabledKey is null");
        this.enabled = requireNonNull(enabled, "enabled is null");
        this.work = requireNonNull(work, "work is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (access.answerPreflight(exchange, method)) {
            return;
        }
        String path = exchange.getRequestPath();
        if (!exchange.getRequestMethod().toString().equals(method)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, method + ", OPTIONS");
            OpenAiError.of(
                            405,
                            OpenAiError.INVALID_REQUEST,
                            "method_not_allowed",
                            exchange.getRequestMethod() + " " + path + " (expected: " + method + ")")
                    .send(exchange);
            return;
        }
        Optional<HttpAccess.Refusal> origin = access.checkOrigin(exchange);
        if (origin.isPresent()) {
            OpenAiError.refused(origin.get()).send(exchange);
            return;
        }
        if (!enabled.getAsBoolean()) {
            OpenAiError.of(
                            403,
                            "permission_error",
                            "api_disabled",
                            path + " is disabled on this gateway: set " + enabledKey + " = true to enable it")
                    .send(exchange);
            return;
        }
        Optional<HttpAccess.Refusal> refusal = access.check(exchange);
        if (refusal.isPresent()) {
            OpenAiError.refused(refusal.get()).send(exchange);
            return;
        }
        work.handle(exchange);
    }

    /** A body {@link dev.switchboard.core.http.internal.HttpBodies} could not take, in OpenAI's shape. */
    static OpenAiError bodyFailure(int status, String message) {
        return switch (status) {
            case 413 -> OpenAiError.of(413, OpenAiError.INVALID_REQUEST, "request_too_large", message);
            case 400 -> OpenAiError.invalid(null, message);
            case 503 -> OpenAiError.of(503, OpenAiError.SERVER_ERROR, "gateway_busy", message);
            default -> OpenAiError.of(status, OpenAiError.SERVER_ERROR, "internal_error", message);
        };
    }
}
