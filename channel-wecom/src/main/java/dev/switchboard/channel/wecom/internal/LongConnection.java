package dev.switchboard.channel.wecom.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * One long connection: opened, subscribed ({@code aibot_subscribe} and its acknowledgement), pinged on the shared
 * scheduler (so pings go on whatever the agent and the outbox are doing), and ended by a refused subscribe, a
 * {@code disconnected_event}, a failure, a close, or silence: nothing heard for two ping periods means the socket is
 * dead even though it looks open (the half-alive socket is the most reported silent failure). Commands are sent
 * with {@link #send} and answered by the acknowledgement carrying their {@code req_id}; callbacks go to a
 * {@link Listener} on the socket's reader thread, one at a time.
 */
final class LongConnection {
    /** How long the platform has to acknowledge a command (the official SDK's 5 s). */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private static final int CLOSE_NORMAL = 1000;

    /** How the connection ended. */
    sealed interface End permits Refused, TakenOver, Broken {}

    /** The platform refused the subscription. */
    record Refused(Ack ack) implements End {}

    /** Another client subscribed with this bot: the platform sent {@code disconnected_event}. */
    record TakenOver() implements End {}

    /** The socket failed, closed, went silent, or the subscribe was not answered. */
    record Broken(String reason, boolean wasSubscribed) implements End {}

    /** Where callbacks go; called on the socket's reader thread. */
    interface Listener {
        /** The subscription was acknowledged: the connection receives from now on. */
        void onSubscribed();

        /** A frame that is not the acknowledgement of a command of ours (already parsed), or its text if it does not parse. */
        void onFrame(@Nullable JsonNode frame, String text, LongConnection connection);
    }

    /** The command could not be sent or acknowledged: the connection ended, or the ack did not come in time. */
    static final class NotAcknowledgedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotAcknowledgedException(String message) {
            super(requireNonNull(message, "message is null"), null, false, false);
        }
    }

    private final String url;
    private final Secret botId;
    private final Secret secret;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration pingInterval;
    private final Listener listener;
    private final CompletableFuture<End> ended = new CompletableFuture<>();
    private final Map<String, CompletableFuture<Ack>> pending = new ConcurrentHashMap<>();

    private volatile Instant lastHeard;
    private volatile boolean subscribed;
    private volatile @Nullable WebSocket socket;
    private volatile @Nullable ScheduledFuture<?> pinger;
    private volatile @Nullable ScheduledFuture<?> openDeadline;

    LongConnection(
            String url,
            Secret botId,
            Secret secret,
            Clock clock,
            ScheduledExecutorService scheduler,
            Duration pingInterval,
            Listener listener) {
        this.url = requireNonNull(url, "url is null");
        this.botId = requireNonNull(botId, "botId is null");
        this.secret = requireNonNull(secret, "secret is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.pingInterval = requireNonNull(pingInterval, "pingInterval is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.lastHeard = clock.instant();
    }

    /** Opens the socket; {@link #ended()} completes when it is over. */
    void open(OkHttpClient client) {
        // OkHttp upgrades from http(s) URLs; the platform names its address wss://
        Request request =
                new Request.Builder().url(url.replaceFirst("(?i)^ws", "http")).build();
        socket = client.newWebSocket(request, new SocketListener());
        // the socket has no read timeout (once subscribed, silence is caught by the pings), so nothing else bounds
        // a server that takes the TCP connection and never answers the upgrade or the subscription
        Duration limit = openTimeout();
        openDeadline = scheduler.schedule(
                () -> {
                    if (!subscribed) {
                        abandon(new Broken(
                                "no answer to the connection and subscription within " + limit.toSeconds() + " s",
                                false));
                    }
                },
                limit.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** How long the upgrade and the subscription may take together: a ping period plus the ack time. */
    Duration openTimeout() {
        return pingInterval.plus(ACK_TIMEOUT);
    }

    CompletableFuture<End> ended() {
        return ended;
    }

    boolean subscribed() {
        return subscribed && !ended.isDone();
    }

    Instant lastHeard() {
        return lastHeard;
    }

    /**
     * Sends a command with a fresh {@code req_id}; the future completes with its acknowledgement, or fails with
     * {@link NotAcknowledgedException} when the connection ends first or no acknowledgement comes within {@link
     * #ACK_TIMEOUT}.
     */
    CompletableFuture<Ack> send(String cmd, ObjectNode body) {
        return sendOn(cmd, Frames.reqId(cmd, clock.millis()), body);
    }

    /** Like {@link #send}, on a given {@code req_id}: a reply echoes its callback's. */
    CompletableFuture<Ack> sendOn(String cmd, String reqId, ObjectNode body) {
        WebSocket ws = socket;
        if (ws == null || ended.isDone()) {
            return CompletableFuture.failedFuture(new NotAcknowledgedException("the long connection is not open"));
        }
        CompletableFuture<Ack> ack = new CompletableFuture<>();
        if (pending.putIfAbsent(reqId, ack) != null) {
            return CompletableFuture.failedFuture(new NotAcknowledgedException(
                    "a command on req_id " + reqId + " still waits for its acknowledgement"));
        }
        if (!ws.send(Frames.command(cmd, reqId, body))) {
            pending.remove(reqId, ack);
            return CompletableFuture.failedFuture(new NotAcknowledgedException("the long connection is closing"));
        }
        ScheduledFuture<?> timeout = scheduler.schedule(
                () -> ack.completeExceptionally(new NotAcknowledgedException(
                        "no acknowledgement of " + cmd + " within " + ACK_TIMEOUT.toSeconds() + " s")),
                ACK_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        var unused = ack.whenComplete((a, e) -> {
            pending.remove(reqId, ack);
            timeout.cancel(false);
        });
        return ack;
    }

    /** Ends the connection: a close frame, and the socket is cancelled if it cannot send one. */
    void close() {
        end(new Broken("closed", subscribed));
        WebSocket ws = socket;
        if (ws != null && !ws.close(CLOSE_NORMAL, "client closing")) {
            ws.cancel();
        }
    }

    /** Drops the socket at once (no close handshake): for a socket that is known to be dead or stale. */
    void abandon(End how) {
        end(how);
        WebSocket ws = socket;
        if (ws != null) {
            ws.cancel();
        }
    }

    private void end(End how) {
        if (!ended.complete(how)) {
            return;
        }
        ScheduledFuture<?> task = pinger;
        if (task != null) {
            task.cancel(false);
        }
        ScheduledFuture<?> deadline = openDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        NotAcknowledgedException gone = new NotAcknowledgedException(
                "the long connection ended before the" + " acknowledgement came (" + describe(how) + ")");
        pending.values().forEach(ack -> ack.completeExceptionally(gone));
    }

    static String describe(End end) {
        if (end instanceof Refused refused) {
            return "subscription refused: " + refused.ack().describe();
        }
        if (end instanceof TakenOver) {
            return "another client took the bot";
        }
        return ((Broken) end).reason();
    }

    private void subscribe(WebSocket ws) {
        var unused = send(Frames.SUBSCRIBE, Frames.subscribeBody(botId.reveal(), secret.reveal()))
                .whenComplete((ack, failure) -> {
                    if (failure != null) {
                        abandon(new Broken("aibot_subscribe was not answered (" + failure.getMessage() + ")", false));
                    } else if (!ack.ok()) {
                        end(new Refused(ack));
                        ws.close(CLOSE_NORMAL, "subscription refused");
                    } else if (!ended.isDone()) {
                        subscribed = true;
                        listener.onSubscribed();
                        long every = pingInterval.toMillis();
                        pinger = scheduler.scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
                        if (ended.isDone()) {
                            ScheduledFuture<?> task = pinger;
                            if (task != null) {
                                task.cancel(false);
                            }
                        }
                    }
                });
    }

    /** On the shared scheduler: never blocks (the ack is awaited by its future). */
    private void ping() {
        if (ended.isDone()) {
            return;
        }
        Duration silent = Duration.between(lastHeard, clock.instant());
        if (silent.compareTo(pingInterval.multipliedBy(2)) > 0) {
            abandon(new Broken(
                    "no answer from the platform for " + silent.toSeconds() + " s (a ping every "
                            + pingInterval.toSeconds() + " s); the socket is dead",
                    true));
            return;
        }
        var unused = send(Frames.PING, Frames.JSON.createObjectNode()).thenAccept(ack -> {
            if (!ack.ok()) {
                // 846609: the platform no longer counts this socket as subscribed; a new one must subscribe
                abandon(new Broken("the platform refused a ping (" + ack.describe() + ")", true));
            }
        });
    }

    private void onText(String text) {
        lastHeard = clock.instant();
        JsonNode frame = Callbacks.parse(text).orElse(null);
        if (frame != null && !frame.has("cmd")) {
            String reqId = Frames.reqId(frame).orElse("");
            CompletableFuture<Ack> ack = pending.get(reqId);
            if (ack != null) {
                ack.complete(new Ack(
                        frame.path("errcode").asInt(Ack.SYSTEM_BUSY),
                        Frames.text(frame, "errmsg").orElse("")));
                return;
            }
        }
        if (frame != null && Callbacks.isDisconnectedEvent(frame)) {
            end(new TakenOver()); // the platform closes the socket next
            return;
        }
        listener.onFrame(frame, text, this);
    }

    private final class SocketListener extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket; // open() may not have stored it yet when the subscription goes out
            lastHeard = clock.instant();
            if (ended.isDone()) {
                webSocket.cancel();
                return;
            }
            subscribe(webSocket);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            onText(text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            // the platform speaks text frames; a binary one carrying UTF-8 JSON is read the same way
            onText(bytes.string(StandardCharsets.UTF_8));
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(CLOSE_NORMAL, null);
            end(new Broken(
                    "the platform closed the connection (" + code + (reason.isEmpty() ? "" : " " + reason) + ")",
                    subscribed));
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            end(new Broken("the connection closed (" + code + ")", subscribed));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, @Nullable Response response) {
            String reason = response != null && socketNeverOpened(response)
                    ? "the upgrade to the long connection was refused (HTTP " + response.code() + ")"
                    : "the long connection failed (" + describe(t) + ")";
            end(new Broken(reason, subscribed));
        }
    }

    private static boolean socketNeverOpened(Response response) {
        return response.code() != 101;
    }

    /** An exception as one line: its message, or its class when it has none (a bare EOFException). */
    static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
