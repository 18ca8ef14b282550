package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.Options;

/**
 * A fake Feishu/Lark open platform on {@code 127.0.0.1}, port 0, for channel tests: the tenant access token API,
 * the long-connection bootstrap and its WebSocket speaking {@code pbbp2} frames, the IM send and reply APIs and
 * bot info, for the custom apps {@linkplain #addApp added} to it; and a webhook sender for webhook mode. Point a
 * channel's {@code base_url} at {@link #baseUrl()}; the WebSocket URL is handed out by the bootstrap, as the
 * platform does. See {@link FakeFeishuApp} for the per-app behaviour and the test API.
 *
 * <pre>{@code
 * try (FakeFeishu feishu = FakeFeishu.start()) {
 *     FakeFeishuApp app = feishu.addApp(FakeFeishu.newAppId(), "app-secret", "Switchboard Bot");
 *     FeishuUser alice = app.user("Alice");
 *     UserMessage hello = app.userSays(app.p2pChat(alice), alice, "hello");
 *     // ... point the channel at feishu.baseUrl() with app.appId() / app.appSecret() ...
 *     app.awaitAck(hello, Duration.ofSeconds(10));
 *     app.awaitSent(1, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class FakeFeishu implements AutoCloseable {
    static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
    static final String ENDPOINT_PATH = "/callback/ws/endpoint";
    static final String BOT_INFO_PATH = "/open-apis/bot/v3/info";
    static final String MESSAGES_PATH = "/open-apis/im/v1/messages";
    static final String WEBSOCKET_PATH = "/ws/v2";
    private static final Pattern REPLY_PATH = Pattern.compile("/open-apis/im/v1/messages/([^/]+)/reply");
    private static final AttachmentKey<Admission> ADMISSION = AttachmentKey.create(Admission.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Undertow server;
    private final int port;
    private final Map<String, FakeFeishuApp> apps = new ConcurrentHashMap<>();
    private final Map<String, FakeFeishuApp> tokens = new ConcurrentHashMap<>();
    private final Map<String, FakeFeishuApp> tickets = new ConcurrentHashMap<>();
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService webhookPushers;
    private @Nullable HttpClient httpClient; // made on first use: its selector thread only in webhook mode
    private final WebSocketProtocolHandshakeHandler webSockets;
    private final AtomicLong seqIds = new AtomicLong();
    private volatile Duration clockOffset = Duration.ZERO;
    private volatile boolean closed;

    private record Admission(FakeFeishuApp app, String deviceId) {}

    private FakeFeishu(int listenPort) {
        int instance = INSTANCES.incrementAndGet();
        timer = new ScheduledThreadPoolExecutor(1, named("fake-feishu-" + instance + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.prestartAllCoreThreads(); // started with the server, not later during a test's thread count
        webhookPushers = Executors.newCachedThreadPool(named("fake-feishu-" + instance + "-webhook"));
        webSockets = new WebSocketProtocolHandshakeHandler((WebSocketConnectionCallback) (exchange, channel) -> {
            Admission admission = exchange.getAttachment(ADMISSION);
            if (admission == null) {
                IoUtils.safeClose(channel);
                return;
            }
            admission.app().connected(admission.deviceId(), channel);
        });
        server = Undertow.builder()
                .addHttpListener(listenPort, "127.0.0.1")
                .setIoThreads(2)
                .setWorkerThreads(4)
                // "fake-feishu-N I/O-1", "fake-feishu-N task-1": a test can tell the fake's threads from a channel's
                .setWorkerOption(Options.WORKER_NAME, "fake-feishu-" + instance)
                .setHandler(this::accept)
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Starts a server on {@code 127.0.0.1} and a free port, with no apps. */
    public static FakeFeishu start() {
        return new FakeFeishu(0);
    }

    /** Starts a server on {@code 127.0.0.1:port} (for {@link FakeFeishuMain}; tests use {@link #start()}). */
    public static FakeFeishu start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        return new FakeFeishu(port);
    }

    /** {@code http://127.0.0.1:<port>}: what a channel's {@code base_url} points at. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** A well-formed App ID: {@code cli_} and 16 hex digits. */
    public static String newAppId() {
        return "cli_" + Ids.hex(8);
    }

    /** Adds a custom app with a bot called {@code botName}. */
    public FakeFeishuApp addApp(String appId, String appSecret, String botName) {
        requireNonNull(appId, "appId is null");
        requireNonNull(appSecret, "appSecret is null");
        requireNonNull(botName, "botName is null");
        if (appId.isBlank() || appSecret.isBlank()) {
            throw new IllegalArgumentException("appId and appSecret must not be blank");
        }
        FakeFeishuApp app = new FakeFeishuApp(this, appId, appSecret, botName);
        if (apps.putIfAbsent(appId, app) != null) {
            throw new IllegalArgumentException("an app with id " + appId + " already exists");
        }
        return app;
    }

    /** The app {@code appId}. */
    public FakeFeishuApp app(String appId) {
        FakeFeishuApp app = apps.get(appId);
        if (app == null) {
            throw new IllegalArgumentException("no app " + appId + " (known: " + apps.keySet() + ")");
        }
        return app;
    }

    /**
     * Moves the fake's clock forward: tokens, tickets and {@code uuid}s expire as if {@code amount} had passed.
     * Timers (acknowledgement timeouts) keep real time.
     */
    public void advanceClock(Duration amount) {
        requireNonNull(amount, "amount is null");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount: " + amount + " (expected: >= 0)");
        }
        clockOffset = clockOffset.plus(amount);
    }

    /** HTTP and WebSocket connections open to this server (keep-alive ones included). */
    public int openConnections() {
        return (int) connections.stream().filter(ServerConnection::isOpen).count();
    }

    /** Closes every long connection and frees the port. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        apps.values().forEach(FakeFeishuApp::close);
        timer.shutdownNow();
        webhookPushers.shutdownNow();
        connections.forEach(IoUtils::safeClose);
        server.stop();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            webhookPushers.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FakeFeishu[" + baseUrl() + "]";
    }

    // ---------------------------------------------------------------- for the apps

    Instant now() {
        return Instant.now().plus(clockOffset);
    }

    String webSocketBaseUrl() {
        return "ws://127.0.0.1:" + port;
    }

    long nextSeqId() {
        return seqIds.incrementAndGet();
    }

    synchronized HttpClient httpClient() {
        if (httpClient == null) {
            httpClient = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .executor(webhookPushers)
                    .build();
        }
        return httpClient;
    }

    void registerToken(String token, FakeFeishuApp app) {
        tokens.put(token, app);
    }

    void forgetToken(String token) {
        tokens.remove(token);
    }

    void registerTicket(String ticket, FakeFeishuApp app) {
        tickets.put(ticket, app);
    }

    /** Runs {@code task} after {@code delay}; once the server is closed, never. */
    Future<?> schedule(Runnable task, Duration delay) {
        try {
            return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    void runAsync(Runnable task) {
        try {
            webhookPushers.execute(task);
        } catch (RejectedExecutionException e) {
            // closing: nothing is pushed any more
        }
    }

    // ---------------------------------------------------------------- HTTP

    private void accept(HttpServerExchange exchange) throws Exception {
        ServerConnection connection = exchange.getConnection();
        if (connections.add(connection)) {
            connection.addCloseListener(connections::remove);
        }
        if (closed) {
            IoUtils.safeClose(connection);
            return;
        }
        if (exchange.getRequestPath().equals(WEBSOCKET_PATH)) {
            upgrade(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this::handleBlocking);
            return;
        }
        handleBlocking(exchange);
    }

    private void handleBlocking(HttpServerExchange exchange) {
        exchange.startBlocking();
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        HttpCall call = new HttpCall(exchange, body);
        route(call);
        if (!call.isAnswered()) {
            call.text(500, "the fake did not answer this request");
        }
    }

    private void route(HttpCall call) {
        String path = call.path();
        boolean post = call.method().equals("POST");
        Matcher reply = REPLY_PATH.matcher(path);
        if (post && path.equals(TOKEN_PATH)) {
            token(call);
        } else if (post && path.equals(ENDPOINT_PATH)) {
            endpoint(call);
        } else if (call.method().equals("GET") && path.equals(BOT_INFO_PATH)) {
            authorized(call, Api.BOT_INFO).ifPresent(app -> app.botInfo(call));
        } else if (post && path.equals(MESSAGES_PATH)) {
            authorized(call, Api.SEND).ifPresent(app -> app.sendMessage(call));
        } else if (post && reply.matches()) {
            authorized(call, Api.REPLY).ifPresent(app -> app.reply(call, reply.group(1)));
        } else {
            call.text(404, "404 page not found");
        }
    }

    private void token(HttpCall call) {
        ObjectNode body = call.jsonBody().orElse(HttpCall.JSON.createObjectNode());
        String appId = HttpCall.text(body, "app_id");
        String appSecret = HttpCall.text(body, "app_secret");
        FakeFeishuApp app = appId == null ? null : apps.get(appId);
        if (app == null || appSecret == null) {
            call.json(400, error(10003, "invalid param"));
            return;
        }
        if (!app.admit(Api.TOKEN, call)) {
            return;
        }
        if (!app.secretMatches(appSecret)) {
            call.json(400, error(10014, "app secret invalid"));
            return;
        }
        app.issueToken(call);
    }

    private void endpoint(HttpCall call) {
        ObjectNode body = call.jsonBody().orElse(HttpCall.JSON.createObjectNode());
        String appId = HttpCall.text(body, "AppID");
        String appSecret = HttpCall.text(body, "AppSecret");
        if (appId == null || appId.isEmpty() || appSecret == null || appSecret.isEmpty()) {
            call.json(200, error(1000040344, "the App ID or App Secret is empty"));
            return;
        }
        FakeFeishuApp app = apps.get(appId);
        if (app != null && !app.admit(Api.ENDPOINT, call)) {
            return;
        }
        if (app == null || !app.secretMatches(appSecret)) {
            call.json(200, error(Fault.ENDPOINT_INVALID_CREDENTIALS, "the App ID or App Secret is invalid"));
            return;
        }
        app.issueEndpoint(call);
    }

    /** The app whose valid token the call carries; otherwise answers 99991661 / 99991663 and returns empty. */
    private Optional<FakeFeishuApp> authorized(HttpCall call, Api api) {
        Optional<String> token = call.bearerToken();
        if (token.isEmpty()) {
            call.platformError(
                    400,
                    99991661,
                    "Missing access token for authorization. Please make a request with token attached.",
                    Map.of());
            return Optional.empty();
        }
        FakeFeishuApp app = tokens.get(token.get());
        if (app == null || !app.tokenValid(token.get())) {
            call.platformError(
                    400,
                    99991663,
                    "Invalid access token for authorization. Please make a request with token attached.",
                    Map.of());
            return Optional.empty();
        }
        return app.admit(api, call) ? Optional.of(app) : Optional.empty();
    }

    private static ObjectNode error(int code, String msg) {
        ObjectNode answer = HttpCall.JSON.createObjectNode();
        answer.put("code", code);
        answer.put("msg", msg);
        return answer;
    }

    // ---------------------------------------------------------------- WebSocket handshake

    private void upgrade(HttpServerExchange exchange) throws Exception {
        String ticket = first(exchange, "ticket");
        String deviceId = first(exchange, "device_id");
        FakeFeishuApp app = ticket.isEmpty() ? null : tickets.remove(ticket);
        Optional<HandshakeRejection> rejection = app == null
                ? Optional.of(HandshakeRejection.authFailed("invalid ticket (each endpoint URL connects once)"))
                : app.admitHandshake(ticket, deviceId);
        if (rejection.isPresent()) {
            HandshakeRejection refused = rejection.get();
            exchange.setStatusCode(refused.httpStatus());
            exchange.getResponseHeaders().put(new HttpString("Handshake-Status"), refused.handshakeStatus());
            exchange.getResponseHeaders().put(new HttpString("Handshake-Msg"), refused.message());
            refused.authErrorCode().ifPresent(code -> exchange.getResponseHeaders()
                    .put(new HttpString("Handshake-Autherrcode"), code));
            exchange.setResponseContentLength(0);
            exchange.endExchange();
            return;
        }
        exchange.putAttachment(ADMISSION, new Admission(requireNonNull(app), deviceId));
        webSockets.handleRequest(exchange);
    }

    private static String first(HttpServerExchange exchange, String name) {
        var values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? "" : values.getFirst();
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
