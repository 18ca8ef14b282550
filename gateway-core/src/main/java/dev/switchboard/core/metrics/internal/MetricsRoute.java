package dev.switchboard.core.metrics.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.http.internal.HttpAccess;
import dev.switchboard.core.http.internal.HttpRoute;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} (SPEC §5.2, §10): the gateway's metrics in Prometheus text format, for a
 * loopback client without a browser {@code Origin} as is, for anyone else with the gateway's bearer
 * credential. While {@code gateway.http.metrics.enabled} is off it answers a JSON error naming that
 * key. The scrape reads the store and the JVM's management beans, so it runs on the worker pool, never
 * on an I/O thread.
 */
public final class MetricsRoute {
    public static final String PATH = "/metrics";
    static final String ENABLE_KEY = "gateway.http.metrics.enabled";
    private static final Logger log = LoggerFactory.getLogger(MetricsRoute.class);

    private final GatewayMetrics metrics;
    private final HttpAccess access;
    private final BooleanSupplier enabled;
    private final Executor workers;

    /** @param enabled read at each request: the key reloads hot */
    private MetricsRoute(GatewayMetrics metrics, HttpAccess access, BooleanSupplier enabled, Executor workers) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.access = requireNonNull(access, "access is null");
        this.enabled = requireNonNull(enabled, "enabled is null");
        this.workers = requireNonNull(workers, "workers is null");
    }

    /** The route; {@code enabled} is read at each request ({@code gateway.http.metrics.enabled} reloads hot). */
    public static HttpRoute of(GatewayMetrics metrics, HttpAccess access, BooleanSupplier enabled, Executor workers) {
        return HttpRoute.exact(PATH, new MetricsRoute(metrics, access, enabled, workers)::handle);
    }

    private void handle(HttpServerExchange exchange) {
        if (!enabled.getAsBoolean()) {
            error(exchange, 404, "DISABLED", "GET /metrics is disabled: set " + ENABLE_KEY + " = true to serve it");
            return;
        }
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        if (!head && !exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            error(exchange, 405, "METHOD_NOT_ALLOWED", exchange.getRequestMethod() + " /metrics (expected: GET)");
            return;
        }
        Optional<HttpAccess.Refusal> refusal =
                HttpAccess.loopbackWithoutOrigin(exchange) ? Optional.empty() : access.check(exchange);
        if (refusal.isPresent()) {
            HttpAccess.Refusal refused = refusal.get();
            refused.retryAfter().ifPresent(wait -> exchange.getResponseHeaders()
                    .put(Headers.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds()))));
            error(exchange, refused.status(), refused.code(), refused.message());
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst(Headers.ACCEPT);
        try {
            exchange.dispatch(workers, () -> answer(exchange, accept, head));
        } catch (RejectedExecutionException e) {
            error(exchange, 503, "UNAVAILABLE", "the gateway is busy; scrape again");
        }
    }

    private void answer(HttpServerExchange exchange, @Nullable String accept, boolean head) {
        GatewayMetrics.Scrape scrape;
        try {
            scrape = metrics.scrape(accept);
        } catch (RuntimeException e) {
            log.warn("GET /metrics failed", e);
            error(
                    exchange,
                    500,
                    "INTERNAL",
                    "the metrics could not be read (" + e.getClass().getSimpleName() + ")");
            return;
        }
        exchange.setStatusCode(200);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, scrape.contentType())
                .put(Headers.CACHE_CONTROL, "no-store");
        if (head) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(scrape.body(), StandardCharsets.UTF_8);
        }
    }

    /** {@code {"error":{"code":...,"message":...}}}: what every refusal of this route looks like. */
    private static void error(HttpServerExchange exchange, int status, String code, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("error").put("code", code).put("message", message);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "application/json")
                .put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body.toString(), StandardCharsets.UTF_8);
    }
}
