package dev.switchboard.core.http.internal;

import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request body without blocking an I/O thread and hands it to a worker pool: what every
 * POST API of the gateway's port does first. A body over the limit, one that cannot be read, and a
 * full pool are answered through {@link Failure} in the API's own error shape.
 */
public final class HttpBodies {
    private static final Logger log = LoggerFactory.getLogger(HttpBodies.class);

    private HttpBodies() {}

    /** What reads and runs the body's work. */
    @FunctionalInterface
    public interface Work {
        void run(HttpServerExchange exchange, String body) throws Exception;
    }

    /** How an API answers a body it cannot take: 413 too large, 400 unreadable, 503 busy. */
    @FunctionalInterface
    public interface Failure {
        void answer(HttpServerExchange exchange, int status, String message);
    }

    /**
     * Receives the UTF-8 body (at most {@code maxBytes}) and runs {@code work} with it on {@code
     * workers}; an exception from {@code work} is answered 500 through {@code failure}, with its
     * message only when it is an {@link IllegalArgumentException} (bad input), else generically.
     */
    public static void readThen(
            HttpServerExchange exchange, long maxBytes, Executor workers, Failure failure, Work work) {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            failure.answer(exchange, 413, "request body too large: " + declared + " bytes (limit " + maxBytes + ")");
            return;
        }
        exchange.setMaxEntitySize(maxBytes);
        exchange.getRequestReceiver()
                .receiveFullBytes(
                        (ex, bytes) -> dispatch(ex, new String(bytes, StandardCharsets.UTF_8), workers, failure, work),
                        (ex, e) -> failure.answer(ex, 413, "request body unreadable or over " + maxBytes + " bytes"));
    }

    private static void dispatch(
            HttpServerExchange exchange, String body, Executor workers, Failure failure, Work work) {
        try {
            exchange.dispatch(workers, () -> {
                try {
                    work.run(exchange, body);
                } catch (IllegalArgumentException e) {
                    failure.answer(exchange, 400, String.valueOf(e.getMessage()));
                } catch (Exception e) {
                    log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
                    failure.answer(
                            exchange,
                            500,
                            "the gateway could not answer this request ("
                                    + e.getClass().getSimpleName() + ")");
                }
            });
        } catch (RejectedExecutionException e) {
            failure.answer(exchange, 503, "the gateway is busy; try again");
        }
    }
}
