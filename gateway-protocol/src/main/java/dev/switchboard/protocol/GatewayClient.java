package dev.switchboard.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A client of the gateway's control protocol (docs/protocol.md) over an OkHttp WebSocket.
 *
 * <pre>{@code
 * try (GatewayClient client = GatewayClient.builder(URI.create("ws://127.0.0.1:18789"))
 *         .token(token)
 *         .onEvent(event -> System.out.println(event.event()))
 *         .build()
 *         .connect()) {
 *     Health health = client.call(Methods.HEALTH, null, Health.class).get(10, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p>Threads: responses complete their futures on a callback pool, never on OkHttp's reader thread;
 * events, gap notices and state changes reach listeners in order on one dedicated thread, so a slow
 * listener delays later events but never responses. A listener that throws is logged and skipped.
 */
public final class GatewayClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayClient.class);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_BACKOFF_MIN = Duration.ofSeconds(1);
    private static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** Where a client is in its life. */
    public enum State {
        /** Built, {@link #connect()} not called yet. */
        NEW,
        /** First handshake in progress. */
        CONNECTING,
        /** hello-ok received; calls are accepted. */
        CONNECTED,
        /** The connection dropped; a new one is scheduled or under way (reconnect enabled). */
        RECONNECTING,
        /** The connection dropped and no reconnect will be tried; {@link #close()} to release threads. */
        DISCONNECTED,
        /** Closed by {@link #close()} or by a failed {@link #connect()}. */
        CLOSED
    }

    /** Told when the per-connection event {@code seq} skips: events in between were lost. */
    @FunctionalInterface
    public interface GapListener {
        void onGap(long expected, long got);
    }

    private final URI url;
    private final String where;
    private final Optional<String> token;
    private final Optional<String> password;
    private final List<String> scopes;
    private final ConnectParams.ClientInfo clientInfo;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final boolean reconnect;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final List<Consumer<Frame.Event>> eventListeners;
    private final List<Consumer<State>> stateListeners;
    private final List<GapListener> gapListeners;

    private final String idPrefix =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicLong lastSeq = new AtomicLong();
    private final ScheduledExecutorService timers;
    private final ExecutorService events;
    private final ExecutorService callbacks;

    private final Object lock = new Object();
    private volatile State state = State.NEW;
    private volatile @Nullable Connection current;
    private volatile @Nullable JsonNode hello;
    private int reconnectAttempt;
    private @Nullable ScheduledFuture<?> reconnectTask;

    private GatewayClient(Builder builder) {
        this.url = builder.url;
        this.where = describe(builder.url);
        this.token = Optional.ofNullable(builder.token);
        this.password = Optional.ofNullable(builder.password);
        this.scopes = List.copyOf(builder.scopes);
        this.clientInfo = builder.clientInfo;
        this.ownsHttp = builder.httpClient == null;
        OkHttpClient.Builder http =
                builder.httpClient == null ? ownHttpClient(builder.url) : builder.httpClient.newBuilder();
        this.http = http.connectTimeout(builder.connectTimeout).build();
        this.requestTimeout = builder.requestTimeout;
        this.connectTimeout = builder.connectTimeout;
        this.reconnect = builder.reconnect;
        this.backoffMin = builder.backoffMin;
        this.backoffMax = builder.backoffMax;
        this.eventListeners = List.copyOf(builder.eventListeners);
        this.stateListeners = List.copyOf(builder.stateListeners);
        this.gapListeners = List.copyOf(builder.gapListeners);
        int n = CLIENTS.incrementAndGet();
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("switchboard-gateway-client-" + n + "-timer"));
        this.events = Executors.newSingleThreadExecutor(daemon("switchboard-gateway-client-" + n + "-events"));
        this.callbacks = Executors.newCachedThreadPool(daemon("switchboard-gateway-client-" + n + "-callback"));
    }

    /**
     * The client's own HTTP client. A {@code ws://} gateway (every local one) gets no TLS at all: setting
     * up OkHttp's TLS defaults reads the JDK's trust store, which costs a short CLI command a large share
     * of its start-up (SPEC §12).
     */
    private static OkHttpClient.Builder ownHttpClient(URI url) {
        OkHttpClient.Builder http = new OkHttpClient.Builder();
        if ("ws".equalsIgnoreCase(url.getScheme())) {
            http.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        return http;
    }

    public static Builder builder(URI url) {
        return new Builder(url);
    }

    /**
     * Opens the socket and runs the handshake: waits for {@code connect.challenge}, sends {@code
     * connect}, waits for {@code hello-ok}. Fails fast: an unreachable gateway or an unfinished
     * handshake fails within the connect timeout. A failed connect closes this client.
     *
     * @return this client, connected
     * @throws GatewayClientException with the gateway's code and message when it refused the
     *     connect request ({@code UNAUTHORIZED}, {@code PROTOCOL_MISMATCH}, ...), or a client-side
     *     code ({@link GatewayClientException#UNREACHABLE}, {@link GatewayClientException#TIMEOUT},
     *     {@link GatewayClientException#HANDSHAKE_FAILED})
     */
    public GatewayClient connect() {
        Connection connection;
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("connect() may be called once (state: " + name(state) + ")");
            }
            setState(State.CONNECTING);
            connection = open();
        }
        try {
            connection.handshake.get();
            return this;
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof GatewayClientException failure) {
                throw failure;
            }
            throw new GatewayClientException(GatewayClientException.HANDSHAKE_FAILED, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new GatewayClientException(
                    GatewayClientException.HANDSHAKE_FAILED, "interrupted while connecting to gateway at " + where);
        }
    }

    /**
     * The {@code hello-ok} payload of the current (or last) connection, as its record.
     *
     * @throws GatewayClientException {@link GatewayClientException#BAD_PAYLOAD} when it cannot be read
     */
    public HelloOk helloOk() {
        return read(Methods.CONNECT, hello(), HelloOk.class);
    }

    /** The {@code hello-ok} payload of the current (or last) connection. */
    public JsonNode hello() {
        JsonNode payload = hello;
        if (payload == null) {
            throw new IllegalStateException(
                    "no hello-ok received from gateway at " + where + " (state: " + name(state) + ")");
        }
        return payload.deepCopy();
    }

    public State state() {
        return state;
    }

    /** The last event {@code seq} seen on the current connection; 0 before the first. */
    public long lastSeq() {
        return lastSeq.get();
    }

    /**
     * Sends a request. The future completes with the response payload, or exceptionally with a
     * {@link GatewayCallException} when the gateway answered {@code ok:false}, or a {@link
     * GatewayClientException} when the call could not complete: not connected, too big, timed out,
     * or the socket closed first.
     *
     * @param params the params; null means {@code {}}
     */
    public CompletableFuture<JsonNode> call(String method, @Nullable ObjectNode params) {
        return send(method, params, false, requestTimeout);
    }

    /** {@link #call(String, ObjectNode)} without params. */
    public CompletableFuture<JsonNode> call(String method) {
        return call(method, null);
    }

    /**
     * {@link #call(String, ObjectNode)}, the payload read as its record ({@link Health}, {@link
     * Status}, ...). Fields this client does not know are ignored; a payload that cannot be read
     * fails the future with {@link GatewayClientException#BAD_PAYLOAD}.
     */
    public <T> CompletableFuture<T> call(String method, @Nullable ObjectNode params, Class<T> type) {
        return typed(method, call(method, params), type);
    }

    /**
     * Sends a two-stage request: the first response whose {@code payload.status} is {@code
     * accepted}, {@code started} or {@code in_flight} (a repeated idempotency key of a run still
     * going) is skipped, and the future completes with the next response on the same id. The request
     * timeout covers both stages.
     */
    public CompletableFuture<JsonNode> expectFinal(String method, @Nullable ObjectNode params) {
        return send(method, params, true, requestTimeout);
    }

    /** {@link #expectFinal(String, ObjectNode)} with its own timeout (agent runs may take long). */
    public CompletableFuture<JsonNode> expectFinal(String method, @Nullable ObjectNode params, Duration timeout) {
        return send(method, params, true, positive(timeout, "timeout"));
    }

    /** {@link #expectFinal(String, ObjectNode, Duration)}, the final payload read as its record. */
    public <T> CompletableFuture<T> expectFinal(
            String method, @Nullable ObjectNode params, Duration timeout, Class<T> type) {
        return typed(method, expectFinal(method, params, timeout), type);
    }

    /** Closes the socket with 1000 and fails pending calls. Idempotent. */
    @Override
    public void close() {
        Connection connection;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            setState(State.CLOSED);
            connection = current;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
        }
        if (connection != null) {
            connection.abort(CloseCodes.NORMAL, "client closed", null);
        }
        timers.shutdownNow();
        events.shutdown();
        callbacks.shutdown();
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "GatewayClient[" + where + ", state=" + name(state) + ", auth="
                + (token.isPresent() ? "token" : password.isPresent() ? "password" : "none") + "]";
    }

    /** {@code answer} read as {@code type}; fails as the untyped call does (no CompletionException around it). */
    private <T> CompletableFuture<T> typed(String method, CompletableFuture<JsonNode> answer, Class<T> type) {
        requireNonNull(type, "type is null");
        CompletableFuture<T> typed = new CompletableFuture<>();
        // both callbacks report through the futures they complete or cancel: nothing reads their own stages
        var unusedRead = answer.whenComplete((payload, error) -> {
            if (error != null) {
                typed.completeExceptionally(error);
                return;
            }
            try {
                typed.complete(read(method, payload, type));
            } catch (GatewayClientException e) {
                typed.completeExceptionally(e);
            }
        });
        var unusedCancel = typed.whenComplete((payload, error) -> {
            if (typed.isCancelled()) {
                answer.cancel(false);
            }
        });
        return typed;
    }

    private <T> T read(String method, JsonNode payload, Class<T> type) {
        try {
            return Payloads.read(payload, type);
        } catch (IllegalArgumentException e) {
            throw new GatewayClientException(
                    GatewayClientException.BAD_PAYLOAD,
                    method + ": cannot read the answer of gateway at " + where + " (" + e.getMessage() + ")",
                    e);
        }
    }

    private CompletableFuture<JsonNode> send(
            String method, @Nullable ObjectNode params, boolean twoStage, Duration timeout) {
        requireNonNull(method, "method is null");
        Connection connection = current;
        if (state != State.CONNECTED || connection == null || connection.ended.get()) {
            return CompletableFuture.failedFuture(new GatewayClientException(
                    GatewayClientException.NOT_CONNECTED,
                    method + ": not connected to gateway at " + where + " (state: " + name(state) + ")"));
        }
        if (method.equals(Methods.CONNECT)) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("connect is sent by the client itself during the handshake"));
        }
        String id = idPrefix + "-" + nextId.incrementAndGet();
        String text = FrameCodec.encode(
                new Frame.Request(id, method, params == null ? JsonNodeFactory.instance.objectNode() : params));
        long size = text.getBytes(UTF_8).length;
        if (size > connection.maxPayload) {
            return CompletableFuture.failedFuture(new GatewayClientException(
                    GatewayClientException.TOO_BIG,
                    method + ": request is " + size + " bytes, over the gateway's limit of " + connection.maxPayload
                            + " bytes (hello-ok policy.maxPayload); not sent"));
        }
        Pending pending = new Pending(method, twoStage);
        connection.pending.put(id, pending);
        pending.timeout = schedule(
                () -> {
                    if (connection.pending.remove(id, pending)) {
                        fail(
                                pending,
                                new GatewayClientException(
                                        GatewayClientException.TIMEOUT,
                                        method + ": no response from gateway at " + where + " within "
                                                + human(timeout)));
                    }
                },
                timeout.toMillis());
        var unused = pending.future.whenComplete((payload, error) -> { // only cleans up after a cancel
            if (pending.future.isCancelled() && connection.pending.remove(id, pending)) {
                pending.cancelTimeout();
            }
        });
        WebSocket socket = connection.socket; // set by open() before the handshake could finish
        boolean queued = socket != null && socket.send(text);
        if ((!queued || connection.ended.get()) && connection.pending.remove(id, pending)) {
            pending.cancelTimeout();
            fail(
                    pending,
                    new GatewayClientException(
                            GatewayClientException.CLOSED,
                            method + ": connection to gateway at " + where + " is closing; not sent"));
        }
        return pending.future;
    }

    /** Starts a connection attempt; caller holds the lock. */
    private Connection open() {
        Connection connection = new Connection(idPrefix + "-" + nextId.incrementAndGet());
        current = connection;
        lastSeq.set(0);
        connection.deadline = schedule(connection::handshakeDeadline, connectTimeout.toMillis());
        Request request = new Request.Builder().url(url.toString()).build();
        connection.socket = http.newWebSocket(request, connection);
        return connection;
    }

    private void connected(Connection connection, JsonNode payload) {
        synchronized (lock) {
            if (state == State.CLOSED || connection != current) {
                connection.abort(CloseCodes.NORMAL, "client closed", null);
                return;
            }
            hello = payload;
            reconnectAttempt = 0;
            setState(State.CONNECTED);
        }
        long tick = connection.tickIntervalMs;
        long period = Math.max(10, tick / 4);
        try {
            connection.watchdog =
                    timers.scheduleAtFixedRate(connection::checkTicks, period, period, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // closed meanwhile
        }
    }

    /** The socket of an established or handshaking connection ended. */
    private void lost(Connection connection, int code, String reason) {
        synchronized (lock) {
            if (connection != current || state == State.CLOSED || !connection.helloDone) {
                return;
            }
            // the gateway stopping (1000) or restarting (1012) closes on purpose, after its shutdown
            // event: news, not a problem (a CLI that asked for the restart must not print a WARN)
            boolean orderly = code == CloseCodes.NORMAL || code == CloseCodes.RESTART;
            String what =
                    orderly ? "gateway at {} closed the connection ({})" : "connection to gateway at {} lost ({})";
            if (reconnect) {
                log.atLevel(orderly ? Level.INFO : Level.WARN)
                        .log(what + "; reconnecting", where, closeDescription(code, reason));
                setState(State.RECONNECTING);
                scheduleReconnect(0);
            } else {
                log.atLevel(orderly ? Level.INFO : Level.WARN).log(what, where, closeDescription(code, reason));
                setState(State.DISCONNECTED);
            }
        }
    }

    /** Caller holds the lock. */
    private void scheduleReconnect(long atLeastMs) {
        // the gateway's rule (dev.switchboard.spi.Backoff: doubling, "equal jitter"), restated here
        // because gateway-protocol depends on no SPI (SPEC §1)
        long ceiling = Math.min(backoffMax.toMillis(), backoffMin.toMillis() << Math.min(reconnectAttempt, 20));
        reconnectAttempt++;
        long half = ceiling / 2;
        long delay = Math.max(atLeastMs, half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
        log.debug("reconnecting to gateway at {} in {} ms (attempt {})", where, delay, reconnectAttempt);
        reconnectTask = schedule(this::reconnectNow, delay);
    }

    private void reconnectNow() {
        Connection connection;
        synchronized (lock) {
            if (state != State.RECONNECTING) {
                return;
            }
            connection = open();
        }
        var unused = connection.handshake.whenComplete((payload, error) -> { // logs and reschedules itself
            if (error == null) {
                log.info("reconnected to gateway at {}", where);
                return;
            }
            synchronized (lock) {
                if (state != State.RECONNECTING || connection != current) {
                    return;
                }
                String code = error instanceof GatewayClientException failure ? failure.code() : "";
                if (code.equals(ErrorCodes.UNAUTHORIZED)
                        || code.equals(ErrorCodes.PROTOCOL_MISMATCH)
                        || code.equals(ErrorCodes.FORBIDDEN)) {
                    log.error("gateway at {} refused to reconnect: {}; giving up", where, error.getMessage());
                    setState(State.DISCONNECTED);
                    return;
                }
                log.debug("reconnect to gateway at {} failed: {}", where, error.getMessage());
                long retryAfter = error instanceof GatewayClientException failure
                        ? failure.error().map(ErrorShape::retryAfterMs).orElse(0L)
                        : 0L;
                scheduleReconnect(retryAfter);
            }
        });
    }

    /** Caller holds the lock. */
    private void setState(State next) {
        if (state == next) {
            return;
        }
        state = next;
        if (!stateListeners.isEmpty()) {
            dispatch(() -> stateListeners.forEach(listener -> listener.accept(next)));
        }
    }

    private void dispatch(Runnable task) {
        try {
            events.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("gateway client listener failed", e);
                }
            });
        } catch (RejectedExecutionException closed) {
            // the client is closed: nobody listens any more
        }
    }

    private void complete(Pending pending, JsonNode payload) {
        pending.cancelTimeout();
        run(callbacks, () -> pending.future.complete(payload));
    }

    private void fail(Pending pending, Throwable error) {
        pending.cancelTimeout();
        run(callbacks, () -> pending.future.completeExceptionally(error));
    }

    private @Nullable ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        try {
            return timers.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            return null;
        }
    }

    private static void run(Executor executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closed) {
            task.run();
        }
    }

    /** One WebSocket and its handshake, pending calls, seq and tick bookkeeping. */
    private final class Connection extends WebSocketListener {
        final String connectId;
        final CompletableFuture<JsonNode> handshake = new CompletableFuture<>();
        final Map<String, Pending> pending = new ConcurrentHashMap<>();
        final AtomicBoolean ended = new AtomicBoolean();
        volatile @Nullable WebSocket socket;
        volatile boolean opened;
        volatile boolean challenged;
        volatile boolean helloDone;
        volatile long lastFrameNanos = System.nanoTime();
        volatile long maxPayload = Protocol.MAX_PREAUTH_PAYLOAD_BYTES;
        volatile long tickIntervalMs = Protocol.DEFAULT_TICK_INTERVAL_MS;
        volatile @Nullable ScheduledFuture<?> deadline;
        volatile @Nullable ScheduledFuture<?> watchdog;
        long expectedSeq = 1; // reader thread only

        Connection(String connectId) {
            this.connectId = connectId;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket;
            opened = true;
            lastFrameNanos = System.nanoTime();
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            if (ended.get()) {
                return;
            }
            lastFrameNanos = System.nanoTime();
            Frame frame;
            try {
                frame = FrameCodec.decodeFromServer(text);
            } catch (ProtocolException e) {
                log.warn("ignoring a malformed frame from gateway at {}: {}", where, e.getMessage());
                return;
            }
            if (frame instanceof Frame.Event event) {
                onEvent(webSocket, event);
            } else if (frame instanceof Frame.Response response) {
                if (!helloDone && response.id().equals(connectId)) {
                    onConnectResponse(response);
                } else {
                    onResponse(response);
                }
            } else {
                log.warn("ignoring a request frame from gateway at {}: gateways do not send requests", where);
            }
        }

        private void onEvent(WebSocket webSocket, Frame.Event event) {
            if (event.event().equals(Events.CONNECT_CHALLENGE)) {
                if (!challenged && !helloDone) {
                    challenged = true;
                    ConnectParams params = new ConnectParams(
                            Protocol.VERSION,
                            Protocol.VERSION,
                            clientInfo,
                            ConnectParams.OPERATOR,
                            scopes,
                            token,
                            password);
                    webSocket.send(FrameCodec.encode(new Frame.Request(connectId, Methods.CONNECT, params.toJson())));
                }
                return;
            }
            if (event.seq().isPresent()) {
                long got = event.seq().getAsLong();
                long expected = expectedSeq;
                expectedSeq = got + 1;
                lastSeq.set(got);
                if (got != expected && !gapListeners.isEmpty()) {
                    dispatch(() -> gapListeners.forEach(listener -> listener.onGap(expected, got)));
                }
            }
            if (!eventListeners.isEmpty()) {
                dispatch(() -> {
                    for (Consumer<Frame.Event> listener : eventListeners) {
                        try {
                            listener.accept(event);
                        } catch (RuntimeException e) {
                            log.warn("gateway client event listener failed on {}", event.event(), e);
                        }
                    }
                });
            }
        }

        private void onConnectResponse(Frame.Response response) {
            if (response.error().isPresent()) {
                handshakeFailed(new GatewayClientException(response.error().get()), CloseCodes.NORMAL);
                return;
            }
            JsonNode payload = response.payload().orElseThrow();
            if (!payload.path("type").asText().equals("hello-ok")
                    || payload.path("protocol").asInt() != Protocol.VERSION) {
                handshakeFailed(
                        new GatewayClientException(
                                GatewayClientException.HANDSHAKE_FAILED,
                                "gateway at " + where + " answered connect with type "
                                        + FrameCodec.describe(payload.get("type")) + ", protocol "
                                        + FrameCodec.describe(payload.get("protocol"))
                                        + " (expected: hello-ok, protocol " + Protocol.VERSION + ")"),
                        CloseCodes.PROTOCOL_MISMATCH);
                return;
            }
            JsonNode policy = payload.path("policy");
            maxPayload = positiveOr(policy.path("maxPayload"), Protocol.DEFAULT_MAX_PAYLOAD_BYTES);
            tickIntervalMs = positiveOr(policy.path("tickIntervalMs"), Protocol.DEFAULT_TICK_INTERVAL_MS);
            helloDone = true;
            cancel(deadline);
            connected(this, payload);
            handshake.complete(payload);
        }

        private void onResponse(Frame.Response response) {
            Pending call = pending.get(response.id());
            if (call == null) {
                log.debug("ignoring a response for unknown or finished request {}", response.id());
                return;
            }
            if (response.ok() && call.twoStage && !call.acknowledged) {
                String status = response.payload().orElseThrow().path("status").asText("");
                if (RunStatus.find(status).filter(RunStatus::acknowledges).isPresent()) {
                    call.acknowledged = true;
                    return;
                }
            }
            if (!pending.remove(response.id(), call)) {
                return;
            }
            if (response.ok()) {
                complete(call, response.payload().orElseThrow());
            } else {
                fail(
                        call,
                        new GatewayCallException(call.method, response.error().orElseThrow()));
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(CloseCodes.NORMAL, null);
            end(code, reason, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            end(code, reason, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable failure, @Nullable Response response) {
            end(0, "", unreachable(failure, response));
        }

        private GatewayClientException unreachable(Throwable failure, @Nullable Response response) {
            if (opened) {
                return new GatewayClientException(
                        GatewayClientException.CLOSED,
                        "connection to gateway at " + where + " failed: " + reason(failure),
                        failure);
            }
            if (response != null) {
                return new GatewayClientException(
                        GatewayClientException.UNREACHABLE,
                        "gateway at " + where + " refused the WebSocket upgrade: HTTP " + response.code()
                                + " (expected: 101 Switching Protocols)");
            }
            return new GatewayClientException(
                    GatewayClientException.UNREACHABLE,
                    "gateway unreachable at " + where + ": " + reason(failure),
                    failure);
        }

        private String reason(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof ConnectException) {
                    String message = String.valueOf(
                            t.getCause() == null ? t.getMessage() : t.getCause().getMessage());
                    return message.toLowerCase(Locale.ROOT).contains("timed out")
                            ? "no answer within " + human(connectTimeout)
                            : "connection refused";
                }
                if (t instanceof UnknownHostException) {
                    return "unknown host " + url.getHost();
                }
                if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                    return "no answer within " + human(connectTimeout);
                }
                if (t instanceof SSLException) {
                    return "TLS failed: " + t.getMessage();
                }
            }
            return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        }

        private void handshakeDeadline() {
            if (handshake.isDone()) {
                return;
            }
            GatewayClientException timeout = opened
                    ? new GatewayClientException(
                            GatewayClientException.TIMEOUT,
                            "gateway at " + where + " did not finish the handshake within " + human(connectTimeout)
                                    + (challenged ? " (no answer to connect)" : " (no connect.challenge)"))
                    : new GatewayClientException(
                            GatewayClientException.UNREACHABLE,
                            "gateway unreachable at " + where + ": no answer within " + human(connectTimeout));
            handshakeFailed(timeout, CloseCodes.POLICY);
        }

        private void handshakeFailed(GatewayClientException failure, int closeCode) {
            handshake.completeExceptionally(failure);
            abort(closeCode, "handshake failed", failure);
        }

        /** Closes the socket from this side (with {@code code}) and ends the connection now. */
        void abort(int code, String reason, @Nullable GatewayClientException failure) {
            WebSocket ws = socket;
            if (ws != null) {
                if (!opened || !ws.close(code, reason)) {
                    ws.cancel();
                }
            }
            end(code, reason, failure);
        }

        private void checkTicks() {
            long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFrameNanos);
            if (ended.get() || silentMs <= 2 * tickIntervalMs) {
                return;
            }
            log.warn(
                    "no frame from gateway at {} for {} ms (tick interval {} ms); closing {}",
                    where,
                    silentMs,
                    tickIntervalMs,
                    CloseCodes.TICK_TIMEOUT);
            abort(CloseCodes.TICK_TIMEOUT, "tick timeout", null);
        }

        /** Runs once per connection, however it ended. */
        private void end(int code, String reason, @Nullable GatewayClientException failure) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            cancel(deadline);
            cancel(watchdog);
            String how = failure != null ? failure.getMessage() : closeDescription(code, reason);
            if (!handshake.isDone()) {
                handshake.completeExceptionally(
                        failure != null && !opened
                                ? failure
                                : new GatewayClientException(
                                        GatewayClientException.HANDSHAKE_FAILED,
                                        "gateway at " + where + " closed the connection during the handshake (" + how
                                                + ")"));
            }
            for (String id : List.copyOf(pending.keySet())) {
                Pending call = pending.remove(id);
                if (call != null) {
                    fail(
                            call,
                            new GatewayClientException(
                                    GatewayClientException.CLOSED,
                                    call.method + ": connection to gateway at " + where
                                            + " closed before the response (" + how + ")"));
                }
            }
            lost(this, code, reason);
        }
    }

    private static final class Pending {
        final String method;
        final boolean twoStage;
        final CompletableFuture<JsonNode> future = new CompletableFuture<>();
        volatile boolean acknowledged;
        volatile @Nullable ScheduledFuture<?> timeout;

        Pending(String method, boolean twoStage) {
            this.method = method;
            this.twoStage = twoStage;
        }

        void cancelTimeout() {
            cancel(timeout);
        }
    }

    private static void cancel(@Nullable ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static String closeDescription(int code, String reason) {
        if (code == 0) {
            return reason == null || reason.isEmpty() ? "socket failed" : reason;
        }
        return reason == null || reason.isEmpty() ? "close " + code : "close " + code + " " + reason;
    }

    private static long positiveOr(JsonNode value, long fallback) {
        return value.canConvertToLong() && value.asLong() > 0 ? value.asLong() : fallback;
    }

    private static String name(State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    static String human(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** {@code scheme://host:port[/path]}: no user info, query or fragment, which might hold a secret. */
    static String describe(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : url.getScheme().equalsIgnoreCase("wss") ? 443 : 80;
        String path = url.getRawPath() == null || url.getRawPath().equals("/") ? "" : url.getRawPath();
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost() + ":" + port + path;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread =
                    new Thread(runnable, name.endsWith("callback") ? name + "-" + count.incrementAndGet() : name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static Duration positive(Duration value, String what) {
        requireNonNull(value, what + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: a positive duration)");
        }
        return value;
    }

    /** Settings of a {@link GatewayClient}; {@link #build()} it, then {@link GatewayClient#connect()}. */
    public static final class Builder {
        private final URI url;
        private @Nullable String token;
        private @Nullable String password;
        private List<String> scopes = Scopes.ALL;
        private ConnectParams.ClientInfo clientInfo = new ConnectParams.ClientInfo(
                "switchboard-gateway-client",
                Optional.ofNullable(GatewayClient.class.getPackage().getImplementationVersion())
                        .orElse("dev"),
                System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT),
                "client");
        private @Nullable OkHttpClient httpClient;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private boolean reconnect;
        private Duration backoffMin = DEFAULT_BACKOFF_MIN;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private final List<Consumer<Frame.Event>> eventListeners = new ArrayList<>();
        private final List<Consumer<State>> stateListeners = new ArrayList<>();
        private final List<GapListener> gapListeners = new ArrayList<>();

        private Builder(URI url) {
            requireNonNull(url, "url is null");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("ws") || scheme.equals("wss")) || url.getHost() == null) {
                throw new IllegalArgumentException(
                        "url: " + (url.getHost() == null ? url.getScheme() + ":..." : describe(url))
                                + " (expected: ws://host:port or wss://host:port)");
            }
            this.url = url;
        }

        /** The shared gateway token (sent as {@code auth.token}; never printed). */
        public Builder token(String token) {
            this.token = requireNonNull(token, "token is null");
            return this;
        }

        /** The shared gateway password (sent as {@code auth.password}; never printed). */
        public Builder password(String password) {
            this.password = requireNonNull(password, "password is null");
            return this;
        }

        /** Scopes to ask for; default all three operator scopes. */
        public Builder scopes(List<String> scopes) {
            this.scopes = List.copyOf(scopes);
            return this;
        }

        /** The informational {@code client} block of {@code connect}. */
        public Builder clientInfo(String id, String version, String platform, String mode) {
            this.clientInfo = new ConnectParams.ClientInfo(id, version, platform, mode);
            return this;
        }

        /** A client to derive from (shares its dispatcher and pool); default a private one. */
        public Builder httpClient(OkHttpClient httpClient) {
            this.httpClient = requireNonNull(httpClient, "httpClient is null");
            return this;
        }

        /** How long a call waits for its response; default 30 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** How long connecting plus the handshake may take; default 5 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Reconnect (and re-run the handshake) when an established connection drops; default off. */
        public Builder reconnect(boolean reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /**
         * Reconnect backoff: attempt {@code n} waits between half and all of {@code min * 2^n}, capped at
         * {@code max} (the gateway's own rule); default 1 s..30 s.
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            positive(min, "reconnectBackoff min");
            positive(max, "reconnectBackoff max");
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException(
                        "reconnectBackoff: " + min + " > " + max + " (expected: min <= max)");
            }
            this.backoffMin = min;
            this.backoffMax = max;
            return this;
        }

        /** Adds an event listener (every event but {@code connect.challenge}, in order, one thread). */
        public Builder onEvent(Consumer<Frame.Event> listener) {
            eventListeners.add(requireNonNull(listener, "listener is null"));
            return this;
        }

        /** Adds a state listener (same thread and order as events). */
        public Builder onStateChange(Consumer<State> listener) {
            stateListeners.add(requireNonNull(listener, "listener is null"));
            return this;
        }

        /** Adds a listener for {@code seq} gaps; refresh with {@code health} and {@code system-presence}. */
        public Builder onGap(GapListener listener) {
            gapListeners.add(requireNonNull(listener, "listener is null"));
            return this;
        }

        public GatewayClient build() {
            return new GatewayClient(this);
        }

        /** {@code build().connect()}. */
        public GatewayClient connect() {
            return build().connect();
        }
    }
}
