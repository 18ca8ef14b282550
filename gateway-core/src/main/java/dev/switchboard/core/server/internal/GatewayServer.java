package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.http.internal.HttpRoute;
import dev.switchboard.core.internal.LogThrottle;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.server.BindFailure;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.PortInUseException;
import dev.switchboard.core.server.Readiness;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.websockets.WebSocketConnectionCallback;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The gateway's one port (SPEC §5): HTTP routes and the WebSocket control protocol on the same
 * listener. Handlers here answer from memory, so they run on Undertow's I/O threads.
 *
 * <p>Undertow's HTTP listener is assembled here on an XNIO worker rather than through {@code
 * Undertow.builder()}, so that accepting passes through {@link CappedAcceptListener}: the connection
 * cap and the header and idle timeouts of {@link HttpLimits} hold before any credential is checked
 * (SPEC §5.4).
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSTANCE_ID = Pattern.compile("\"instanceId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
    private static final int WORKER_THREADS = 8;
    /** Undertow's own buffer size for a JVM with more than 128 MiB of heap. */
    private static final int BUFFER_SIZE = 16 * 1024 - 20;
    /** How long a close waits for the I/O threads to finish before it stops them. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /** Refused connections: the first of an interval is logged, the rest summed up once it is over. */
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> listener;
    private final HttpOpenListener http;
    private final ConnectionCap cap;
    private final int port;

    private GatewayServer(
            XnioWorker worker, AcceptingChannel<StreamConnection> listener, HttpOpenListener http, ConnectionCap cap) {
        this.worker = worker;
        this.listener = listener;
        this.http = http;
        this.cap = cap;
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
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
     * under {@code /webhooks/} when given, under the default {@link HttpLimits}.
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
        return start(address, instanceId, readiness, control, webhooks, HttpLimits.DEFAULTS, new ServerCounters());
    }

    /**
     * Binds and starts serving under {@code limits}, without HTTP APIs; connections refused at the
     * cap are counted in {@code counters}.
     *
     * @throws SwitchboardException of kind CONFIG when the port is taken, naming the gateway that
     *     holds it when it is one
     */
    public static GatewayServer start(
            ListenAddress address,
            String instanceId,
            Supplier<Readiness> readiness,
            Optional<WebSocketConnectionCallback> control,
            Optional<WebhookRoutes> webhooks,
            HttpLimits limits,
            ServerCounters counters) {
        return start(address, instanceId, readiness, control, webhooks, List.of(), limits, counters);
    }

    /**
     * Binds and starts serving, with the control protocol on {@code /} and accounts' webhook routes
     * under {@code /webhooks/} when given, the HTTP APIs and the Control UI of {@code routes}, under
     * {@code limits}; connections refused at the cap are counted in {@code counters}.
     *
     * @throws SwitchboardException of kind CONFIG when the port is taken, naming the gateway that
     *     holds it when it is one
     */
    public static GatewayServer start(
            ListenAddress address,
            String instanceId,
            Supplier<Readiness> readiness,
            Optional<WebSocketConnectionCallback> control,
            Optional<WebhookRoutes> webhooks,
            List<HttpRoute> routes,
            HttpLimits limits,
            ServerCounters counters) {
        requireNonNull(address, "address is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(readiness, "readiness is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(counters, "counters is null");
        HttpHandler root = routes.stream()
                .filter(route -> route.path().equals("/") && !route.prefix())
                .map(HttpRoute::handler)
                .findFirst()
                .orElse(GatewayServer::rootWithoutUpgrade);
        PathHandler paths = new PathHandler()
                .addExactPath("/healthz", exchange -> healthz(exchange, instanceId))
                .addExactPath("/readyz", exchange -> readyz(exchange, readiness.get()))
                .addExactPath(
                        "/",
                        control.<HttpHandler>map(callback -> Handlers.websocket(callback, root))
                                .orElse(root));
        webhooks.ifPresent(handler -> paths.addPrefixPath(WebhookRoutes.PREFIX, handler));
        for (HttpRoute route : routes) {
            if (route.prefix()) {
                paths.addPrefixPath(route.path(), route.handler());
            } else if (!route.path().equals("/")) {
                paths.addExactPath(route.path(), route.handler());
            }
        }

        ConnectionCap cap = ConnectionCap.forThisProcess(limits.maxConnections());
        if (cap.lowered()) {
            log.info("accepting at most {} connections ({})", cap.value(), cap.describe());
        }
        int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        XnioWorker worker = createWorker(ioThreads);
        try {
            HttpOpenListener http = new HttpOpenListener(
                    new DefaultByteBufferPool(true, BUFFER_SIZE, -1, 4),
                    OptionMap.builder()
                            .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(limits.requestHeaderTimeout()))
                            .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(limits.idleTimeout()))
                            // counts open connections, upgraded WebSockets included, for the cap
                            .set(UndertowOptions.ENABLE_STATISTICS, true)
                            .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                            .getMap());
            http.setRootHandler(paths);
            LogThrottle warnings = new LogThrottle(
                    log, Clock.systemUTC(), WARNING_INTERVAL, 2, "other", CappedAcceptListener::summary);
            CappedAcceptListener accept = new CappedAcceptListener(
                    http, () -> http.getConnectorStatistics().getActiveConnections(), cap, counters, warnings);
            AcceptingChannel<StreamConnection> listener = worker.createStreamConnectionServer(
                    new InetSocketAddress(InetAddress.getByName(address.host()), address.port()),
                    accept,
                    OptionMap.builder()
                            .set(Options.WORKER_IO_THREADS, ioThreads)
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.REUSE_ADDRESSES, true)
                            .set(Options.BALANCING_TOKENS, 1)
                            .set(Options.BALANCING_CONNECTIONS, 2)
                            .set(Options.BACKLOG, 1000)
                            .getMap());
            listener.resumeAccepts();
            worker.getIoThread().executeAtInterval(warnings::flush, WARNING_INTERVAL.toSeconds() / 6, TimeUnit.SECONDS);
            return new GatewayServer(worker, listener, http, cap);
        } catch (IOException | RuntimeException e) {
            stop(worker);
            Optional<BindFailure> bind = BindFailure.of(e);
            if (bind.isPresent()) {
                throw bindRefused(address, bind.get(), e);
            }
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "cannot listen on " + address.host() + ":" + address.port() + ": " + e.getMessage(),
                    e);
        }
    }

    public int port() {
        return port;
    }

    /** Connections open on the port now: HTTP, WebSocket, and ones still sending their request. */
    public long openConnections() {
        return http.getConnectorStatistics().getActiveConnections();
    }

    /** The connection cap in force: {@code gateway.max_connections}, or lower under a small file limit. */
    public int maxConnections() {
        return cap.value();
    }

    /** Stops accepting, closes every connection and stops the I/O threads (waiting a few seconds at most). */
    @Override
    public void close() {
        IoUtils.safeClose(listener);
        stop(worker);
    }

    private static XnioWorker createWorker(int ioThreads) {
        try {
            return Xnio.getInstance(Undertow.class.getClassLoader())
                    .createWorker(OptionMap.builder()
                            .set(Options.WORKER_IO_THREADS, ioThreads)
                            .set(Options.WORKER_TASK_CORE_THREADS, WORKER_THREADS)
                            .set(Options.WORKER_TASK_MAX_THREADS, WORKER_THREADS)
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.CORK, true)
                            .getMap());
        } catch (IOException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME, "cannot start the server's I/O threads: " + e.getMessage(), e);
        }
    }

    private static void stop(XnioWorker worker) {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
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

    /** {@code /} without a WebSocket upgrade when no Control UI is served. */
    private static void rootWithoutUpgrade(HttpServerExchange exchange) {
        send(
                exchange,
                404,
                JSON.createObjectNode()
                        .put(
                                "error",
                                "no Control UI is served here: this port serves the"
                                        + " WebSocket control protocol on /, /healthz and /readyz"));
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

    /** A bind the system refused, in words that say which of the usual reasons it was. */
    private static SwitchboardException bindRefused(ListenAddress address, BindFailure failure, Throwable e) {
        String where = address.host() + ":" + address.port();
        return switch (failure) {
            case IN_USE -> portTaken(address);
            case NOT_THIS_HOST -> SwitchboardException.config(
                    "cannot listen on " + where + ": " + BindFailure.notThisHost(address.host()));
            case NOT_PERMITTED -> SwitchboardException.config("not allowed to listen on " + where + " ("
                    + e.getMessage() + "; ports below 1024 need privileges)");
            case OTHER -> SwitchboardException.config("cannot listen on " + where + " (" + e.getMessage() + ")");
        };
    }

    /** The port-taken refusal, naming the gateway instance on it when it answers {@code /healthz}. */
    private static PortInUseException portTaken(ListenAddress address) {
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
                        return new PortInUseException(
                                address,
                                Optional.of(matcher.group(1)),
                                pid.find() ? OptionalLong.of(Long.parseLong(pid.group(1))) : OptionalLong.empty());
                    }
                }
            } finally {
                connection.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            // not an HTTP server we understand: say nothing more about it
        }
        return new PortInUseException(address, Optional.empty(), OptionalLong.empty());
    }
}
