package dev.switchboard.testkit.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A minimal AI-bot long-connection client written from the protocol notes (chat-platforms.md §3.1), not from the
 * fake: the JDK's WebSocket, JSON text frames {@code {cmd, headers:{req_id}, body}}, acknowledgements matched by
 * {@code req_id}. What a channel does, in the smallest form a test can drive step by step.
 */
final class AiBotClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger IDS = new AtomicInteger();

    private static final HttpClient HTTP = HttpClient.newHttpClient(); // one selector thread for all clients
    private final List<JsonNode> received = new ArrayList<>(); // guarded by this
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    AiBotClient(String wsUrl) {
        socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create(wsUrl), new Listener())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /** Sends {@code {cmd, headers:{req_id}, body}} (no body when null) and returns the req_id. */
    String send(String cmd, String reqId, ObjectNode body) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("cmd", cmd);
        frame.putObject("headers").put("req_id", reqId);
        if (body != null) {
            frame.set("body", body);
        }
        sendRaw(frame.toString());
        return reqId;
    }

    void sendRaw(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** A req_id in the official SDK's shape: {@code {cmd}_{ms}_{rand}}. */
    static String reqId(String cmd) {
        return cmd + "_" + System.currentTimeMillis() + "_" + IDS.incrementAndGet();
    }

    JsonNode subscribe(String botId, String secret) {
        ObjectNode body = JSON.createObjectNode().put("bot_id", botId).put("secret", secret);
        return ack(send("aibot_subscribe", reqId("aibot_subscribe"), body));
    }

    JsonNode ping() {
        return ack(send("ping", reqId("ping"), null));
    }

    JsonNode stream(String reqId, String streamId, String content, boolean finish) {
        return ack(sendStream(reqId, streamId, content, finish));
    }

    String sendStream(String reqId, String streamId, String content, boolean finish) {
        ObjectNode body = JSON.createObjectNode().put("msgtype", "stream");
        body.putObject("stream").put("id", streamId).put("finish", finish).put("content", content);
        return send("aibot_respond_msg", reqId, body);
    }

    JsonNode welcome(String reqId, String text) {
        ObjectNode body = JSON.createObjectNode().put("msgtype", "text");
        body.putObject("text").put("content", text);
        return ack(send("aibot_respond_welcome_msg", reqId, body));
    }

    JsonNode sendMarkdown(String chatid, String markdown) {
        ObjectNode body = JSON.createObjectNode().put("chatid", chatid).put("msgtype", "markdown");
        body.putObject("markdown").put("content", markdown);
        return ack(send("aibot_send_msg", reqId("aibot_send_msg"), body));
    }

    /** Waits for the acknowledgement of {@code reqId}: a frame without cmd naming it. */
    JsonNode ack(String reqId) {
        return take(
                f -> !f.has("cmd")
                        && reqId.equals(f.path("headers").path("req_id").asText()),
                "ack of " + reqId);
    }

    /** Waits for the next callback ({@code aibot_msg_callback} or {@code aibot_event_callback}). */
    JsonNode callback() {
        return take(f -> f.path("cmd").asText().endsWith("_callback"), "a callback");
    }

    /** Waits for a frame matching {@code test} and removes it from what was received. */
    synchronized JsonNode take(Predicate<JsonNode> test, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (Iterator<JsonNode> it = received.iterator(); it.hasNext(); ) {
                JsonNode frame = it.next();
                if (test.test(frame)) {
                    it.remove();
                    return frame;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed.isDone()) {
                throw new AssertionError("no " + what + " within " + WAIT + " (closed: " + closed.getNow(null)
                        + "); received " + received);
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Whether a frame matching {@code test} arrived (and is still unconsumed). */
    synchronized boolean has(Predicate<JsonNode> test) {
        return received.stream().anyMatch(test);
    }

    /** Waits until the socket closes; returns the status code (1006 for a cut without close frame). */
    int awaitClosed() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonNode frame;
                try {
                    frame = JSON.readTree(text.toString());
                } catch (Exception e) {
                    frame = JSON.getNodeFactory().textNode(text.toString()); // kept as it came: a malformed frame
                }
                text.setLength(0);
                synchronized (AiBotClient.this) {
                    received.add(frame);
                    AiBotClient.this.notifyAll();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            finish(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            finish(1006);
        }

        private void finish(int code) {
            closed.complete(code);
            synchronized (AiBotClient.this) {
                AiBotClient.this.notifyAll();
            }
        }
    }
}
