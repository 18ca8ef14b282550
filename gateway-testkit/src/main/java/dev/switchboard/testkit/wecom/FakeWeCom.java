package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.Headers;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.xnio.IoUtils;
import org.xnio.Options;

/**
 * A fake WeCom (企业微信) on {@code 127.0.0.1}, port 0, for channel tests: the AI bot (智能机器人) long connection at
 * {@link #wsUrl()} — JSON text frames {@code {cmd, headers:{req_id}, body}} — for the bots {@linkplain #addBot
 * added} to it, and the group robot's {@code POST /cgi-bin/webhook/send?key=KEY} at {@link #baseUrl()} for the
 * robots {@linkplain #addGroupRobot added}. See {@link FakeWeComBot} and {@link FakeGroupRobot} for the behaviour
 * and the test API.
 *
 * <pre>{@code
 * try (FakeWeCom wecom = FakeWeCom.start()) {
 *     FakeWeComBot bot = wecom.addBot("aibot-alerts", "bot-secret");
 *     Callback hello = bot.userSays(WeComChat.group("group_alerts"), "alice", "status?");
 *     // ... point the channel's ws_url at wecom.wsUrl() with bot.botId() / bot.secret() ...
 *     List<BotReply> replies = bot.awaitReplies("group_alerts", 1, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class FakeWeCom implements AutoCloseable {
    static final String WEBHOOK_PATH = "/cgi-bin/webhook/send";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Undertow server;
    private final int port;
    private final String name;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<ServerConnection> httpConnections = ConcurrentHashMap.newKeySet();

    final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // guarded by lock
    private final Map<String, FakeWeComBot> bots = new LinkedHashMap<>();
    private final Map<String, FakeGroupRobot> robots = new LinkedHashMap<>();
    private final List<BotConnection> connections = new ArrayList<>();
    private final List<ClientFrame> unboundFrames = new ArrayList<>();
    private Duration heartbeatTimeout = Duration.ofSeconds(60);
    private volatile Duration clockOffset = Duration.ZERO;
    private int connectionCount;
    private boolean closed;

    private FakeWeCom(int listenPort) {
        int instance = INSTANCES.incrementAndGet();
        name = "fake-wecom-" + instance;
        timer = new ScheduledThreadPoolExecutor(1, named(name + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.prestartAllCoreThreads(); // started with the server, not later during a test's thread count
        WebSocketProtocolHandshakeHandler webSockets = new WebSocketProtocolHandshakeHandler(
                (WebSocketConnectionCallback) (exchange, channel) -> connected(channel), this::notFound);
        server = Undertow.builder()
                .addHttpListener(listenPort, "127.0.0.1")
                .setIoThreads(2)
                .setWorkerThreads(4)
                // "fake-wecom-N I/O-1", "fake-wecom-N task-1": a test can tell the fake's threads from a channel's
                .setWorkerOption(Options.WORKER_NAME, name)
                .setHandler(exchange -> accept(exchange, webSockets))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Starts a server on {@code 127.0.0.1} and a free port, with no bots and no robots. */
    public static FakeWeCom start() {
        return new FakeWeCom(0);
    }

    /** Starts a server on {@code 127.0.0.1:port} (for {@link FakeWeComMain}; tests use {@link #start()}). */
    public static FakeWeCom start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        return new FakeWeCom(port);
    }

    /** {@code ws://127.0.0.1:<port>}: what a channel's {@code ws_url} points at (the platform's is a bare host). */
    public String wsUrl() {
        return "ws://127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:<port>}: the group robot's base URL (the platform's is qyapi.weixin.qq.com). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The prefix of every thread the fake starts ({@code fake-wecom-N}). */
    public String threadNamePrefix() {
        return name;
    }

    /** Adds an AI bot that subscribes with {@code botId} and {@code secret}. */
    public FakeWeComBot addBot(String botId, String secret) {
        requireNonNull(botId, "botId is null");
        requireNonNull(secret, "secret is null");
        if (botId.isBlank() || secret.isBlank()) {
            throw new IllegalArgumentException("botId and secret must not be blank");
        }
        return locked(() -> {
            if (bots.containsKey(botId)) {
                throw new IllegalArgumentException("a bot with id " + botId + " already exists");
            }
            FakeWeComBot bot = new FakeWeComBot(this, botId, secret);
            bots.put(botId, bot);
            return bot;
        });
    }

    /** The bot {@code botId}. */
    public FakeWeComBot bot(String botId) {
        return locked(() -> {
            FakeWeComBot bot = bots.get(botId);
            if (bot == null) {
                throw new IllegalArgumentException("no bot " + botId + " (known: " + bots.keySet() + ")");
            }
            return bot;
        });
    }

    /** Adds a group robot whose webhook URL carries {@code key}. */
    public FakeGroupRobot addGroupRobot(String key) {
        requireNonNull(key, "key is null");
        if (key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank");
        }
        return locked(() -> {
            if (robots.containsKey(key)) {
                throw new IllegalArgumentException("a group robot with key " + key + " already exists");
            }
            FakeGroupRobot robot = new FakeGroupRobot(this, key);
            robots.put(key, robot);
            return robot;
        });
    }

    /**
     * How long a long connection may go without a {@code ping} (or its subscribe) before the fake cuts it. The
     * platform's value is not documented; the default is 60 s (two of the SDK's 30 s pings). Applies to
     * connections from the next ping on.
     */
    public FakeWeCom heartbeatTimeout(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("heartbeatTimeout: " + timeout + " (expected: > 0)");
        }
        run(() -> heartbeatTimeout = timeout);
        return this;
    }

    /**
     * Moves the fake's clock forward: reply and welcome windows pass as if {@code amount} had passed. Timers (the
     * heartbeat timeout, delayed acks, redeliveries) keep real time.
     */
    public void advanceClock(Duration amount) {
        requireNonNull(amount, "amount is null");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount: " + amount + " (expected: >= 0)");
        }
        clockOffset = clockOffset.plus(amount);
    }

    /** Every long connection ever opened, whatever bot it named, in order. */
    public List<ConnectedClient> connections() {
        return locked(() -> connections.stream().map(BotConnection::snapshot).toList());
    }

    /** WebSocket and HTTP connections open now (keep-alive ones included). */
    public int openConnections() {
        return locked(() ->
                        (int) connections.stream().filter(BotConnection::isOpen).count())
                + (int) httpConnections.stream()
                        .filter(ServerConnection::isOpen)
                        .count();
    }

    /** Frames from connections that never named a known bot (before subscribing, or naming an unknown bot_id). */
    public List<ClientFrame> unboundFrames() {
        return locked(() -> List.copyOf(unboundFrames));
    }

    /**
     * Waits until {@code condition} holds, re-checking it whenever the fake's state changes (a frame, a connection,
     * a post); AssertionError naming {@code what} on timeout. The condition may call the fake's methods.
     */
    public void awaitCondition(String what, BooleanSupplier condition, Duration timeout) {
        requireNonNull(what, "what is null");
        requireNonNull(condition, "condition is null");
        if (!await(condition, timeout)) {
            throw new AssertionError("not within " + timeout + ": " + what + "; connections " + connections());
        }
    }

    /** Closes every connection and frees the port. */
    @Override
    public void close() {
        List<BotConnection> open = locked(() -> {
            if (closed) {
                return List.of();
            }
            closed = true;
            bots.values().forEach(FakeWeComBot::close);
            changed.signalAll();
            return connections.stream().filter(BotConnection::isOpen).toList();
        });
        open.forEach(c -> c.sever("fake closed"));
        timer.shutdownNow();
        httpConnections.forEach(IoUtils::safeClose);
        server.stop();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FakeWeCom[" + wsUrl() + "]";
    }

    // ---------------------------------------------------------------- for the bots and robots

    Instant now() {
        return Instant.now().plus(clockOffset);
    }

    void signal() {
        changed.signalAll();
    }

    /** Runs {@code task} after {@code delay} under the lock; once the server is closed, never. */
    Future<?> schedule(Runnable task, Duration delay) {
        try {
            return timer.schedule(() -> run(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** (Re)starts the connection's heartbeat clock: cut when no ping arrives within the timeout. Under the lock. */
    void armHeartbeat(BotConnection connection) {
        if (connection.heartbeat != null) {
            connection.heartbeat.cancel(false);
        }
        connection.heartbeat = schedule(
                () -> {
                    if (connection.isOpen()) {
                        connection.sever("heartbeat timeout");
                        signal();
                    }
                },
                heartbeatTimeout);
    }

    boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return condition.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }

    <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    void run(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- the long connection

    private void connected(WebSocketChannel channel) {
        BotConnection connection = locked(() -> {
            BotConnection created = new BotConnection("conn-" + ++connectionCount, channel, now());
            if (closed) {
                created.sever("fake closed");
                return created;
            }
            connections.add(created);
            armHeartbeat(created);
            changed.signalAll();
            return created;
        });
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                run(() -> onFrame(connection, message.getData()));
            }

            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                free(message); // the platform speaks text frames only: a binary one is not a command
                run(() -> record(connection, Optional.empty(), "<binary frame>", Optional.empty()));
            }
        });
        channel.addCloseTask(ch -> run(() -> {
            connection.closed(now());
            FakeWeComBot bot = connection.bot;
            if (bot != null) {
                bot.connectionClosed(connection);
            }
            changed.signalAll();
        }));
        channel.resumeReceives();
    }

    // Undertow hands a buffered message's data out only as XNIO's deprecated Pooled
    @SuppressWarnings("deprecation")
    private static void free(BufferedBinaryMessage message) {
        message.getData().free();
    }

    /** One text frame from a client. Under the lock. */
    private void onFrame(BotConnection connection, String text) {
        if (!connection.isOpen()) {
            return;
        }
        Optional<ObjectNode> parsed = Frames.parse(text);
        if (parsed.isEmpty()) {
            record(connection, Optional.empty(), text, Optional.empty());
            return;
        }
        ObjectNode frame = parsed.get();
        Optional<String> cmd = Frames.text(frame, "cmd");
        if (cmd.equals(Optional.of(Frames.SUBSCRIBE))) {
            String botId = Optional.ofNullable(frame.get("body"))
                    .flatMap(body -> Frames.text(body, "bot_id"))
                    .orElse("");
            FakeWeComBot bot = bots.get(botId);
            if (bot != null && bot != connection.bot) {
                connection.subscribed = false; // a socket serves one bot at a time: naming another ends the first
                connection.bot = bot;
            }
        }
        FakeWeComBot bot = connection.bot;
        if (bot != null) {
            bot.onFrame(connection, frame, text);
            return;
        }
        Optional<String> reqId = Frames.reqId(frame);
        if (reqId.isEmpty()) {
            record(connection, cmd, text, Optional.empty());
        } else if (cmd.equals(Optional.of(Frames.SUBSCRIBE))) {
            answer(connection, frame, text, WeComErrors.INVALID_BOT_CREDENTIALS, FakeWeComBot.REFUSED_SUBSCRIPTION);
        } else {
            answer(connection, frame, text, WeComErrors.NOT_SUBSCRIBED, "aibot websocket not subscribed");
        }
    }

    private void answer(BotConnection connection, ObjectNode frame, String text, int errcode, String reason) {
        String reqId = Frames.reqId(frame).orElseThrow();
        String errmsg = WeComErrors.errmsg(errcode, reason);
        connection.send(Frames.ack(reqId, errcode, errmsg));
        unboundFrames.add(new ClientFrame(
                connection.id,
                Frames.text(frame, "cmd"),
                Optional.of(reqId),
                text,
                Optional.of(errcode),
                Optional.of(errmsg),
                now()));
        changed.signalAll();
    }

    private void record(BotConnection connection, Optional<String> cmd, String text, Optional<String> reqId) {
        ClientFrame frame = new ClientFrame(connection.id, cmd, reqId, text, Optional.empty(), Optional.empty(), now());
        FakeWeComBot bot = connection.bot;
        if (bot != null) {
            bot.recordUnanswered(frame);
        } else {
            unboundFrames.add(frame);
        }
        changed.signalAll();
    }

    // ---------------------------------------------------------------- HTTP (the group robot)

    private void accept(HttpServerExchange exchange, WebSocketProtocolHandshakeHandler webSockets) throws Exception {
        ServerConnection connection = exchange.getConnection();
        if (httpConnections.add(connection)) {
            connection.addCloseListener(httpConnections::remove);
        }
        if (locked(() -> closed)) {
            IoUtils.safeClose(connection);
            return;
        }
        if (!exchange.getRequestPath().equals(WEBHOOK_PATH)) {
            webSockets.handleRequest(exchange); // an upgrade on any path, as the platform's bare host; else 404
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this::webhook);
            return;
        }
        webhook(exchange);
    }

    private void webhook(HttpServerExchange exchange) {
        exchange.startBlocking();
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        if (!exchange.getRequestMethod().toString().equals("POST")) {
            respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed (expected: POST)");
            return;
        }
        var keys = exchange.getQueryParameters().get("key");
        String key = keys == null || keys.isEmpty() ? "" : keys.getFirst();
        FakeGroupRobot robot = locked(() -> robots.get(key));
        ObjectNode answer = robot == null
                ? FakeGroupRobot.error(WeComErrors.INVALID_WEBHOOK_URL, "invalid webhook url")
                : robot.post(new String(body, StandardCharsets.UTF_8));
        run(changed::signalAll);
        // the platform answers HTTP 200 with the errcode in the body, failures included
        respond(exchange, 200, "application/json; charset=utf-8", answer.toString());
    }

    private void notFound(HttpServerExchange exchange) {
        respond(exchange, 404, "text/plain; charset=utf-8", "404 page not found");
    }

    private static void respond(HttpServerExchange exchange, int status, String contentType, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.setResponseContentLength(bytes.length);
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(bytes));
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
