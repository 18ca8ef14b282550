package dev.switchboard.core.http.internal;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;

/**
 * One HTTP route of the gateway's port besides {@code /healthz}, {@code /readyz} and the webhooks:
 * an HTTP API or the Control UI. The route at exactly {@code /} answers requests to {@code /} that
 * are not a WebSocket upgrade (the control protocol keeps the upgrade).
 *
 * @param path the path, starting with {@code /}
 * @param prefix whether every path under {@code path} matches, or only {@code path} itself
 * @param handler called on an I/O thread: it dispatches anything that blocks
 */
public record HttpRoute(String path, boolean prefix, HttpHandler handler) {
    public HttpRoute {
        requireNonNull(path, "path is null");
        requireNonNull(handler, "handler is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with /: " + path);
        }
    }

    public static HttpRoute exact(String path, HttpHandler handler) {
        return new HttpRoute(path, false, handler);
    }

    public static HttpRoute prefix(String path, HttpHandler handler) {
        return new HttpRoute(path, true, handler);
    }
}
