package dev.switchboard.core.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.SwitchboardException;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.websockets.WebSocketConnectionCallback;
import java.io.IOException;
import java.net.BindException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's one port (SPEC §5): HTTP routes now, the WebSocket control protocol on the same
 * listener. Handlers here answer from memory, so they run on Undertow's I/O threads.
 */
public final class GatewayServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSTANCE_ID = Pattern.compile("\"instanceId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");

    private final Undertow undertow;
    private final int port;

    private GatewayServer(Undertow undertow, int port) {
        this.undertow = undertow;
        this.port = port;
    }

    /**
     * Binds and starts serving.
     *
     * @throws SwitchboardException of kind CONFIG when the port is taken, naming the gateway that
     *     holds it when it is one
     */
    public static GatewayServer start(ListenAddress address, String instanceId, Supplier<Readiness> readiness) {
        return start(address, instanceId, readiness, Optional.empty());
    }

    /**
     * Binds and starts serving, with the control protocol on {@code /} when {@code control} is
     * given.
     *
     * @throws SwitchboardException of kind CONFIG when the port is taken, naming the gateway that
     *     holds it when it is one
     */
    public static GatewayServer start(
            ListenAddress address,
            String instanceId,
            Supplier<Readiness> readiness,
            Optional<WebSocketConnectionCallback> control) {
        return start(address, instanceId, readiness, control, Optional.empty());
    }

    /**
     * Binds and starts serving, with the control protocol on {@code /} and accounts' webhook routes
     * under {@code /webhooks/} when given.
     *
     * @throws SwitchboardException of kind CONFIG when the port is taken, naming the gateway that
     *     holds it when it is one
     */
    public static GatewayServer start(
            ListenAddress address,
            String instanceId,
            Supplier<Readiness> readiness,
            Optional<WebSocketConnectionCallback> control,
            Optional<WebhookRoutes> webhooks) {
        requireNonNull(address, "address is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(readiness, "readiness is null");
        HttpHandler root = GatewayServer::rootWithoutUpgrade;
        PathHandler routes = new PathHandler()
                .addExactPath("/healthz", exchange -> healthz(exchange, instanceId))
                .addExactPath("/readyz", exchange -> readyz(exchange, readiness.get()))
                .addExactPath(
                        "/",
                        control.<HttpHandler>map(callback -> Handlers.websocket(callback, root))
                                .orElse(root));
        webhooks.ifPresent(handler -> routes.addPrefixPath(WebhookRoutes.PREFIX, handler));
        Undertow undertow = Undertow.builder()
                .addHttpListener(address.port(), address.host())
                .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerThreads(8)
                .setHandler(routes)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            undertow.stop();
            if (causedByBind(e)) {
                throw portTaken(address);
            }
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "cannot listen on " + address.host() + ":" + address.port() + ": " + e.getMessage(),
                    e);
        }
        int bound = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return new GatewayServer(undertow, bound);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        undertow.stop();
    }

    private static void healthz(HttpServerExchange exchange, String instanceId) {
        if (!allowGet(exchange)) {
            return;
        }
        ObjectNode body = JSON.createObjectNode()
                .put("ok", true)
                .put("instanceId", instanceId)
                .put("pid", ProcessHandle.current().pid());
        send(exchange, 200, body);
    }

    private static void readyz(HttpServerExchange exchange, Readiness readiness) {
        if (!allowGet(exchange)) {
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("ready", readiness.ready());
        readiness.waiting().forEach(body.putArray("waiting")::add);
        send(exchange, readiness.ready() ? 200 : 503, body);
    }

    /** {@code /} without a WebSocket upgrade: the Control UI lands here in a later version. */
    private static void rootWithoutUpgrade(HttpServerExchange exchange) {
        send(
                exchange,
                404,
                JSON.createObjectNode()
                        .put(
                                "error",
                                "no page here yet: this port serves the WebSocket control protocol on /,"
                                        + " /healthz and /readyz"));
    }

    private static boolean allowGet(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.GET)
                || exchange.getRequestMethod().equals(Methods.HEAD)) {
            return true;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        send(exchange, 405, JSON.createObjectNode().put("error", "method not allowed (expected: GET)"));
        return false;
    }

    private static void send(HttpServerExchange exchange, int status, ObjectNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body.toString(), StandardCharsets.UTF_8);
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** The port-taken refusal, naming the gateway instance on it when it answers {@code /healthz}. */
    private static SwitchboardException portTaken(ListenAddress address) {
        String message = "another process is already listening on " + address.host() + ":" + address.port();
        String holder = describeHolder(address);
        return SwitchboardException.config(message + holder);
    }

    private static String describeHolder(ListenAddress address) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create("http://" + address.clientHost() + ":" + address.port() + "/healthz")
                            .toURL()
                            .openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(1000);
            try {
                if (connection.getResponseCode() == 200) {
                    String body = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    Matcher matcher = INSTANCE_ID.matcher(body);
                    if (matcher.find()) {
                        Matcher pid = PID.matcher(body);
                        return " (a switchboard gateway" + (pid.find() ? ", pid " + pid.group(1) : "") + ", instance "
                                + matcher.group(1) + "; see: switchboard gateway status)";
                    }
                }
            } finally {
                connection.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            // not an HTTP server we understand: say nothing more about it
        }
        return "";
    }
}
