package dev.switchboard.cli.gateway;

import dev.switchboard.protocol.ConnectParams;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * An operator's control connection that remembers everything the gateway did to it, in order: each event it
 * received and how the socket ended (the close code). {@code GatewayClient} keeps the close code to itself, and
 * what a client is told before its socket closes (a {@code shutdown} event, then 1012; or 4001 alone) is what
 * these tests check.
 */
final class ControlSocket extends WebSocketListener implements AutoCloseable {
    private static final OkHttpClient HTTP = new OkHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** How the gateway ended the socket; code -1 for a failure without a close frame. */
    record Closed(int code, String reason) {}

    private final List<Frame.Event> events = new ArrayList<>(); // guarded by itself
    private final List<String> timeline = new ArrayList<>(); // guarded by events
    private final CompletableFuture<Frame.Response> hello = new CompletableFuture<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final String token;
    private final WebSocket socket;

    private ControlSocket(int port, String token) {
        this.token = token;
        this.socket = HTTP.newWebSocket(
                new Request.Builder().url("ws://127.0.0.1:" + port + "/").build(), this);
    }

    /** Connects to the gateway on {@code port} with {@code token}; returns after hello-ok. */
    static ControlSocket connect(int port, String token) throws Exception {
        ControlSocket socket = new ControlSocket(port, token);
        Frame.Response answer = socket.hello.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!answer.ok()) {
            socket.close();
            throw new IllegalStateException("connect refused: " + answer.error().orElseThrow());
        }
        return socket;
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        Frame frame = FrameCodec.decodeFromServer(text);
        if (frame instanceof Frame.Event event) {
            if (event.event().equals(Events.CONNECT_CHALLENGE)) {
                ConnectParams params = new ConnectParams(
                        Protocol.VERSION,
                        Protocol.VERSION,
                        new ConnectParams.ClientInfo("hot-reload-it", "1", "jvm", "test"),
                        ConnectParams.OPERATOR,
                        List.of(),
                        Optional.of(token),
                        Optional.empty());
                webSocket.send(FrameCodec.encode(new Frame.Request("connect-1", Methods.CONNECT, params.toJson())));
                return;
            }
            synchronized (events) {
                events.add(event);
                timeline.add("event " + event.event());
                events.notifyAll();
            }
        } else if (frame instanceof Frame.Response response && response.id().equals("connect-1")) {
            hello.complete(response);
        }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        ended(new Closed(code, reason));
        webSocket.close(1000, null);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        hello.completeExceptionally(failure);
        ended(new Closed(-1, String.valueOf(failure)));
    }

    private void ended(Closed how) {
        synchronized (events) {
            if (closed.complete(how)) {
                timeline.add("close " + how.code());
            }
            events.notifyAll();
        }
    }

    /** The first event named {@code name}; fails after 30 s. */
    Frame.Event awaitEvent(String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (events) {
            while (true) {
                for (Frame.Event event : events) {
                    if (event.event().equals(name)) {
                        return event;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(
                            "no " + name + " event within " + WAIT.toSeconds() + " s; saw " + timeline);
                }
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /** How the gateway closed the socket; fails after 30 s. */
    Closed awaitClose() throws Exception {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("socket still open after " + WAIT.toSeconds() + " s; saw " + timeline(), e);
        }
    }

    /** What happened to this socket, in order, ticks, presence and health left out: {@code event shutdown}, {@code close 1012}. */
    List<String> timeline() {
        synchronized (events) {
            return timeline.stream()
                    .filter(entry -> !entry.equals("event " + Events.TICK)
                            && !entry.equals("event " + Events.PRESENCE)
                            && !entry.equals("event " + Events.HEALTH))
                    .toList();
        }
    }

    @Override
    public void close() {
        socket.cancel();
    }
}
