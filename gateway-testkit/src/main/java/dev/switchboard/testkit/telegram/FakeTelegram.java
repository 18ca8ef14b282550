package dev.switchboard.testkit.telegram;

import static java.util.Objects.requireNonNull;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
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
import java.util.regex.Pattern;
import org.xnio.IoUtils;

/**
 * A fake Telegram Bot API server on {@code 127.0.0.1}, port 0: {@code /bot<token>/<method>} for the bots
 * {@linkplain #addBot added} to it, with Telegram's response and error shapes, {@code getUpdates} offset
 * confirmation and long polling, webhooks, {@code sendMessage} validation and scripted faults (see {@link
 * FakeBot}). Requests are handled on Undertow's I/O threads without blocking: a held long poll costs no
 * thread while it waits.
 *
 * <pre>{@code
 * try (FakeTelegram telegram = FakeTelegram.start()) {
 *     FakeBot bot = telegram.addBot(FakeTelegram.newToken(123456), "switchboard_test_bot");
 *     TgUser alice = bot.user(42, "Alice");
 *     bot.userSays(bot.privateChat(alice), alice, "hello");
 *     // ... point the channel at telegram.apiBaseUrl() with bot.token() ...
 *     bot.awaitSent(1, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class FakeTelegram implements AutoCloseable {
    private static final Pattern TOKEN = Pattern.compile("(\\d{1,19}):[A-Za-z0-9_-]{35}");
    private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Undertow server;
    private final int port;
    private final Map<String, FakeBot> bots = new ConcurrentHashMap<>();
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService webhookPushers;
    private volatile boolean closed;

    private FakeTelegram(int listenPort) {
        int instance = INSTANCES.incrementAndGet();
        timer = new ScheduledThreadPoolExecutor(1, named("fake-telegram-" + instance + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.prestartAllCoreThreads(); // started with the server, not later during a test's thread count
        webhookPushers = Executors.newCachedThreadPool(named("fake-telegram-" + instance + "-webhook"));
        server = Undertow.builder()
                .addHttpListener(listenPort, "127.0.0.1")
                .setIoThreads(2)
                .setWorkerThreads(1)
                .setHandler(this::accept)
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Starts a server on {@code 127.0.0.1} and a free port, with no bots. */
    public static FakeTelegram start() {
        return new FakeTelegram(0);
    }

    /** Starts a server on {@code 127.0.0.1:port} (for {@link FakeTelegramMain}; tests use {@link #start()}). */
    public static FakeTelegram start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        return new FakeTelegram(port);
    }

    /** {@code http://127.0.0.1:<port>}; methods are at {@code /bot<token>/<method>}. */
    public String apiBaseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** A well-formed token ({@code <id>:<35 characters>}) for bot {@code botId}. */
    public static String newToken(long botId) {
        if (botId <= 0) {
            throw new IllegalArgumentException("botId: " + botId + " (expected: > 0)");
        }
        StringBuilder token = new StringBuilder(Long.toString(botId)).append(":AA");
        for (int i = 0; i < 33; i++) {
            token.append(TOKEN_CHARS.charAt(RANDOM.nextInt(TOKEN_CHARS.length())));
        }
        return token.toString();
    }

    /** Adds a bot; its id is the token's digits. */
    public FakeBot addBot(String token, String username) {
        requireNonNull(token, "token is null");
        requireNonNull(username, "username is null");
        var matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("token is not a bot token (expected: <digits>:<35 characters>)");
        }
        String name = username.startsWith("@") ? username.substring(1) : username;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("username is empty");
        }
        FakeBot bot = new FakeBot(this, Long.parseLong(matcher.group(1)), name, token);
        if (bots.putIfAbsent(token, bot) != null) {
            throw new IllegalArgumentException("a bot with this token already exists: " + bots.get(token));
        }
        return bot;
    }

    /** HTTP connections currently open to this server (e.g. a client's keep-alive pool or a held poll). */
    public int openConnections() {
        return connections.size();
    }

    /** Ends held long polls (their connections are closed), stops webhook pushes and frees the port. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        bots.values().forEach(FakeBot::close);
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

    /** Runs {@code task} after {@code delay}; once the server is closed, never. */
    Future<?> schedule(Runnable task, Duration delay) {
        try {
            return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    void pushWebhook(Runnable loop) {
        try {
            webhookPushers.execute(loop);
        } catch (RejectedExecutionException e) {
            // closing: nothing is pushed any more
        }
    }

    private void accept(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        if (connections.add(connection)) {
            connection.addCloseListener(connections::remove);
        }
        // Async from here on: the exchange stays open until a BotCall answers it, from whatever thread.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getRequestReceiver()
                .receiveFullBytes((ex, body) -> route(ex, body), (ex, error) -> IoUtils.safeClose(ex.getConnection())));
    }

    private void route(HttpServerExchange exchange, byte[] body) {
        String path = exchange.getRequestPath();
        Params params = Params.parse(
                exchange.getQueryParameters(), exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE), body);
        int slash = path.indexOf('/', 4);
        if (!path.startsWith("/bot") || slash < 0 || path.indexOf('/', slash + 1) >= 0) {
            new BotCall(exchange, path, params).fail(ApiError.notFound());
            return;
        }
        String token = path.substring(4, slash);
        String method = path.substring(slash + 1);
        BotCall call = new BotCall(exchange, FakeBot.canonical(method), params);
        FakeBot bot = bots.get(token);
        if (bot == null) {
            call.fail(ApiError.unauthorized());
            return;
        }
        if (closed) {
            call.drop();
            return;
        }
        bot.handle(method, call);
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "FakeTelegram[" + apiBaseUrl() + "]";
    }
}
