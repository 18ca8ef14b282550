package dev.switchboard.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.FrameCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A lean control-protocol client for load: the JDK's NIO WebSocket (one selector thread for all
 * sockets, so ten thousand idle sockets need no thread each), the handshake by hand, and responses
 * read with a streaming parser that skips payloads.
 *
 * <p>Listener callbacks of one socket run one at a time (JDK contract); sends are chained because
 * the JDK allows one outstanding send per socket.
 */
final class BenchSocket implements WebSocket.Listener {
    private static final JsonFactory JSON = new JsonFactory();

    /** The envelope of a gateway frame: enough to route it. {@code ok} is null for events. */
    record Envelope(
            @Nullable String type,
            @Nullable String id,
            @Nullable Boolean ok,
            @Nullable String event,
            @Nullable String error) {}

    private final String token;
    private final LongAdder bytesReceived;
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Long> challengeAt = new CompletableFuture<>();
    private final CompletableFuture<Long> helloAt = new CompletableFuture<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private @Nullable CompletableFuture<WebSocket> sendTail;
    private volatile @Nullable WebSocket ws;
    private volatile long connectSentAt;
    private volatile Consumer<Envelope> onResponse = envelope -> {};

    private BenchSocket(String token, LongAdder bytesReceived) {
        this.token = token;
        this.bytesReceived = bytesReceived;
    }

    /**
     * Opens a socket and runs the handshake; the future completes with the socket once hello-ok
     * arrived, and fails on any refusal or close before it.
     */
    static CompletableFuture<BenchSocket> open(HttpClient client, URI uri, String token, LongAdder bytesReceived) {
        BenchSocket socket = new BenchSocket(token, bytesReceived);
        var unused = client.newWebSocketBuilder() // a failure is passed on to helloAt
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, socket)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        socket.helloAt.completeExceptionally(error);
                    }
                });
        return socket.helloAt.thenApply(at -> socket);
    }

    /** When the challenge arrived ({@link System#nanoTime()}). */
    long challengeAt() {
        return challengeAt.join();
    }

    /** When the connect request was handed to the socket ({@link System#nanoTime()}). */
    long connectSentAt() {
        return connectSentAt;
    }

    /** When hello-ok arrived ({@link System#nanoTime()}). */
    long helloAt() {
        return helloAt.join();
    }

    /** Completes with the close code when the socket closes (or -1 on an error). */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    /** Where responses after the handshake go (on this socket's listener thread, one at a time). */
    void onResponse(Consumer<Envelope> handler) {
        this.onResponse = handler;
    }

    /** Queues a text frame behind any send still in progress. */
    void send(String text) {
        synchronized (sendLock) {
            WebSocket socket = requireNonNull(ws, "sending before the socket opened");
            sendTail = sendTail == null || (sendTail.isDone() && !sendTail.isCompletedExceptionally())
                    ? socket.sendText(text, true)
                    : sendTail.thenCompose(ignored -> socket.sendText(text, true));
        }
    }

    /** A {@code health} request; the id carries the send time, so no map of pending ids is needed. */
    static String healthRequest(long sequence, long sentAtNanos) {
        return "{\"type\":\"req\",\"id\":\"" + sentAtNanos + "-" + sequence + "\",\"method\":\"health\"}";
    }

    /** The send time encoded by {@link #healthRequest}. */
    static long sentAt(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    /** Sends close 1000 (after any queued send); {@link #closed()} completes when the gateway answers. */
    void close() {
        WebSocket socket = ws;
        if (socket == null) {
            return;
        }
        synchronized (sendLock) {
            CompletableFuture<WebSocket> tail = sendTail == null ? CompletableFuture.completedFuture(socket) : sendTail;
            sendTail = tail.handle((ignored, error) -> socket)
                    .thenCompose(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
        }
    }

    /** Drops the TCP connection without a close handshake. */
    void abort() {
        WebSocket socket = ws;
        if (socket != null) {
            socket.abort();
        }
        closed.complete(-1);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        bytesReceived.add(data.length());
        if (!last) {
            partial.append(data);
            webSocket.request(1);
            return null;
        }
        String text;
        if (partial.length() > 0) {
            text = partial.append(data).toString();
            partial.setLength(0);
        } else {
            text = data.toString();
        }
        try {
            onFrame(text);
        } catch (RuntimeException e) {
            helloAt.completeExceptionally(e);
        }
        webSocket.request(1);
        return null;
    }

    private void onFrame(String text) {
        if (!helloAt.isDone()) {
            handshakeFrame(text);
            return;
        }
        // after the handshake: events (presence, tick, ...) are counted, not parsed further
        if (text.startsWith("{\"type\":\"event\"")) {
            return;
        }
        Envelope envelope = envelope(text);
        if ("res".equals(envelope.type())) {
            onResponse.accept(envelope);
        }
    }

    private void handshakeFrame(String text) {
        long now = System.nanoTime();
        Envelope envelope = envelope(text);
        if (!challengeAt.isDone()) {
            if (!"connect.challenge".equals(envelope.event())) {
                throw new IllegalStateException("expected connect.challenge first, got: " + abbreviate(text));
            }
            challengeAt.complete(now);
            connectSentAt = System.nanoTime();
            send(connectRequest(token));
            return;
        }
        if ("res".equals(envelope.type()) && "connect".equals(envelope.id())) {
            if (Boolean.TRUE.equals(envelope.ok())) {
                helloAt.complete(now);
            } else {
                helloAt.completeExceptionally(new IllegalStateException("connect refused: " + envelope.error()));
            }
        }
        // events before hello-ok cannot happen (the gateway sends hello-ok first); ignore them anyway
    }

    @Override
    public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        helloAt.completeExceptionally(
                new IllegalStateException("closed " + statusCode + " " + reason + " before hello-ok"));
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        helloAt.completeExceptionally(error);
        closed.complete(-1);
    }

    static String connectRequest(String token) {
        var params = FrameCodec.json().createObjectNode().put("minProtocol", 1).put("maxProtocol", 1);
        params.putObject("client")
                .put("id", "switchboard-bench")
                .put("version", "1")
                .put("platform", "jvm")
                .put("mode", "bench");
        params.put("role", "operator");
        params.putArray("scopes");
        params.putObject("auth").put("token", token);
        var frame = FrameCodec.json().createObjectNode();
        frame.put("type", "req").put("id", "connect").put("method", "connect").set("params", params);
        return frame.toString();
    }

    /** Reads the top-level fields of a frame, skipping payloads. */
    static Envelope envelope(String text) {
        String type = null;
        String id = null;
        Boolean ok = null;
        String event = null;
        String error = null;
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("not a JSON object: " + abbreviate(text));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "type" -> type = parser.getText();
                    case "id" -> id = parser.getText();
                    case "ok" -> ok = value == JsonToken.VALUE_TRUE;
                    case "event" -> event = parser.getText();
                    case "error" -> {
                        JsonNode node = FrameCodec.json().readTree(parser);
                        error = node.path("code").asText() + ": "
                                + node.path("message").asText();
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable frame: " + abbreviate(text), e);
        }
        return new Envelope(type, id, ok, event, error);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
