package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.channel.internal.WebhookRouter;
import dev.switchboard.spi.WebhookHandler;
import dev.switchboard.spi.WebhookRegistration;
import dev.switchboard.spi.WebhookRequest;
import dev.switchboard.spi.WebhookResponse;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts' webhook routes under {@code /webhooks/} on the gateway's port. A platform posts
 * here without gateway auth (the adapter checks the platform's own signature or secret), so the
 * body is bounded and the handler runs on a worker: it blocks on the durable accept before it
 * answers, exactly as a polling adapter acknowledges only after the commit.
 */
public final class WebhookRoutes implements WebhookRouter, HttpHandler {
    /** The path prefix of every route. */
    public static final String PREFIX = "/webhooks";
    /** The largest body a platform may post; Telegram's and Feishu's updates are far smaller. */
    static final long MAX_BODY = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(WebhookRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Executor workers;

    /** @param workers where handlers run (never Undertow's I/O threads) */
    public WebhookRoutes(Executor workers) {
        this.workers = requireNonNull(workers, "workers is null");
    }

    /** The path of an account's route. */
    public static String path(String channelId, String accountId) {
        return PREFIX + "/" + channelId + "/" + accountId;
    }

    @Override
    public WebhookRegistration register(String channelId, String accountId, WebhookHandler handler) {
        Route route = new Route(path(channelId, accountId), requireNonNull(handler, "handler is null"));
        routes.put(route.path, route);
        return route;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        Route route = routes.get(path);
        if (route == null) {
            error(exchange, 404, "no webhook is registered at " + path + " (is the account running in webhook mode?)");
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            error(exchange, 405, "method not allowed (expected: POST)");
            return;
        }
        if (exchange.getRequestContentLength() > MAX_BODY) {
            error(
                    exchange,
                    413,
                    "body too large: " + exchange.getRequestContentLength() + " bytes (limit " + MAX_BODY + ")");
            return;
        }
        exchange.setMaxEntitySize(MAX_BODY);
        exchange.getRequestReceiver()
                .receiveFullBytes(
                        (ex, body) -> dispatch(ex, route, body),
                        (ex, e) -> error(ex, 413, "body unreadable or over " + MAX_BODY + " bytes"));
    }

    private void dispatch(HttpServerExchange exchange, Route route, byte[] body) {
        try {
            exchange.dispatch(workers, () -> answer(exchange, route, body));
        } catch (RejectedExecutionException e) {
            // the platform delivers again later; nothing was accepted
            error(exchange, 503, "the gateway is busy; try again");
        }
    }

    private static void answer(HttpServerExchange exchange, Route route, byte[] body) {
        WebhookRequest request = new WebhookRequest(
                exchange.getRequestMethod().toString(), route.path, headers(exchange), body, peer(exchange));
        WebhookResponse response;
        try {
            response = route.handler.handle(request);
        } catch (Exception | Error e) {
            log.warn("webhook {} failed: {}", request, e.toString());
            error(exchange, 500, "the gateway could not take this request; deliver it again");
            return;
        }
        exchange.setStatusCode(response.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, response.contentType());
        exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
    }

    private static Map<String, String> headers(HttpServerExchange exchange) {
        Map<String, String> headers = new HashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            headers.putIfAbsent(values.getHeaderName().toString().toLowerCase(Locale.ROOT), values.getFirst());
        }
        return headers;
    }

    private static String peer(HttpServerExchange exchange) {
        InetSocketAddress address = exchange.getSourceAddress();
        return address == null ? "unknown" : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static void error(HttpServerExchange exchange, int status, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender()
                .send(JSON.createObjectNode().put("error", message).toString(), StandardCharsets.UTF_8);
    }

    /** One account's route; closing it removes it unless a newer registration replaced it. */
    private final class Route implements WebhookRegistration {
        private final String path;
        private final WebhookHandler handler;

        Route(String path, WebhookHandler handler) {
            this.path = path;
            this.handler = handler;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public void close() {
            routes.remove(path, this);
        }
    }
}
