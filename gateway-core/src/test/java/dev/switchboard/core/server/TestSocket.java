package dev.switchboard.core.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/** A real WebSocket client for server tests: every text frame queued, the close code recorded. */
final class TestSocket extends WebSocketListener implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OkHttpClient CLIENT = new OkHttpClient();
    static final Duration WAIT = Duration.ofSeconds(10);

    /** What ended the socket: the server's close code and reason, or a failure. */
    record Closed(int code, String reason) {}

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private TestSocket(int port, String origin) {
        Request.Builder request = new Request.Builder().url("ws://127.0.0.1:" + port + "/");
        if (origin != null) {
            request.header("Origin", origin);
        }
        this.socket = CLIENT.newWebSocket(request.build(), this);
    }

    static TestSocket open(int port) {
        return new TestSocket(port, null);
    }

    static TestSocket open(int port, String origin) {
        return new TestSocket(port, origin);
    }

    /** Opens a socket, answers the challenge with {@code token} and returns it after hello-ok. */
    static TestSocket connected(int port, String token, String... scopes) throws Exception {
        TestSocket socket = open(port);
        socket.next(); // connect.challenge
        socket.send(connect("c1", 1, 1, token, scopes));
        JsonNode hello = socket.next();
        if (!hello.path("ok").asBoolean()) {
            throw new IllegalStateException("connect failed: " + hello);
        }
        return socket;
    }

    static String connect(String id, int min, int max, String token, String... scopes) {
        StringBuilder scopeList = new StringBuilder();
        for (String scope : scopes) {
            scopeList
                    .append(scopeList.length() == 0 ? "" : ",")
                    .append('"')
                    .append(scope)
                    .append('"');
        }
        return "{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"connect\",\"params\":{\"minProtocol\":" + min
                + ",\"maxProtocol\":" + max + ",\"client\":{\"id\":\"test\",\"version\":\"1\",\"platform\":\"jvm\","
                + "\"mode\":\"test\"},\"role\":\"operator\",\"scopes\":[" + scopeList + "],\"auth\":{\"token\":\""
                + token + "\"}}}";
    }

    static String request(String id, String method) {
        return "{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":{}}";
    }

    void send(String text) {
        socket.send(text);
    }

    /** The next frame, failing the test after 10 s. */
    JsonNode next() throws Exception {
        String text = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new AssertionError(
                    "no frame within " + WAIT + (closed.isDone() ? "; socket closed " + closed.get() : ""));
        }
        return JSON.readTree(text);
    }

    /** The next frame that is not a tick/presence/health event. */
    JsonNode nextSkippingEvents(String... skipped) throws Exception {
        while (true) {
            JsonNode frame = next();
            if (!frame.path("type").asText().equals("event")
                    || !java.util.Arrays.asList(skipped)
                            .contains(frame.path("event").asText())) {
                return frame;
            }
        }
    }

    Closed awaitClose() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        frames.add(text);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        closed.complete(new Closed(code, reason));
        webSocket.close(1000, null);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        closed.complete(new Closed(-1, String.valueOf(t)));
    }

    @Override
    public void close() {
        socket.cancel();
    }
}
