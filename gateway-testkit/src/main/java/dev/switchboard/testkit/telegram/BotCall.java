package dev.switchboard.testkit.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.channels.Configurable;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.ReadReadyHandler;

/**
 * One Bot API request waiting for its answer. Answered at most once, from any thread: the write happens on
 * the exchange's I/O thread, so a held long poll costs no thread while it waits.
 */
final class BotCall {
    final String method;
    final Params params;
    final Instant at = Instant.now();
    private final HttpServerExchange exchange;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile int status;
    private volatile boolean dropInsteadOfAnswer;
    /** Undoes the client-close watch; touched on the exchange's I/O thread only. */
    private @Nullable Runnable restoreReads;

    BotCall(HttpServerExchange exchange, String method, Params params) {
        this.exchange = exchange;
        this.method = method;
        this.params = params;
    }

    /** Answers {@code {"ok":true,"result":result}}. */
    void ok(JsonNode result) {
        ok(result, null);
    }

    void ok(JsonNode result, @Nullable String description) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("ok", true);
        body.set("result", result);
        if (description != null) {
            body.put("description", description);
        }
        answer(200, body);
    }

    /** Answers {@code {"ok":true,"result":<resultJson>}} with {@code resultJson} written verbatim. */
    void okRaw(String resultJson) {
        answer(200, "{\"ok\":true,\"result\":" + resultJson + "}");
    }

    void fail(ApiError error) {
        answer(error.status, error.body());
    }

    /** Closes the connection without an answer. */
    void drop() {
        if (answered.compareAndSet(false, true)) {
            onIoThread(() -> IoUtils.safeClose(exchange.getConnection()));
        }
    }

    /** The next answer becomes a dropped connection (the request is still handled). */
    void dropInsteadOfAnswer() {
        dropInsteadOfAnswer = true;
    }

    boolean isAnswered() {
        return answered.get();
    }

    /**
     * Runs {@code onClose} when the client closes its connection while this call waits (a client giving up on
     * a long poll). Undertow reads nothing from a connection while its request is being answered, so a client's
     * FIN would go unnoticed until the answer; this watches for it. An HTTP/1.1 client sends nothing while it
     * awaits an answer, so anything readable means the connection is finished.
     */
    void onConnectionClose(Runnable onClose) {
        exchange.getConnection().addCloseListener(connection -> onClose.run());
        onIoThread(() -> {
            if (answered.get() || !(exchange.getConnection() instanceof AbstractServerConnection connection)) {
                return;
            }
            // watch the raw socket: the request's own conduits report nothing once its body is read
            ConduitStreamSourceChannel watch =
                    new ConduitStreamSourceChannel(Configurable.EMPTY, connection.getOriginalSourceConduit());
            watch.setReadListener(channel -> {
                try {
                    if (channel.read(ByteBuffer.allocate(1)) == 0) {
                        return;
                    }
                } catch (IOException e) {
                    // reset by the client: closed as well
                }
                IoUtils.safeClose(exchange.getConnection());
            });
            watch.resumeReads();
            restoreReads = () -> {
                watch.suspendReads();
                // hand the socket's read readiness back to the connection's channel, as XNIO set it up
                connection
                        .getOriginalSourceConduit()
                        .setReadReadyHandler(new ReadReadyHandler.ChannelListenerHandler<>(
                                connection.getChannel().getSourceChannel()));
            };
        });
    }

    ApiCall snapshot() {
        return new ApiCall(method, params.toJson(), status, at);
    }

    private void answer(int httpStatus, ObjectNode body) {
        answer(httpStatus, body.toString());
    }

    private void answer(int httpStatus, String body) {
        if (dropInsteadOfAnswer) {
            drop();
            return;
        }
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        status = httpStatus;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        onIoThread(() -> {
            if (restoreReads != null) {
                restoreReads.run();
            }
            exchange.setStatusCode(httpStatus);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.setResponseContentLength(bytes.length);
            exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
        });
    }

    private void onIoThread(Runnable task) {
        if (exchange.isInIoThread()) {
            task.run();
        } else {
            exchange.getIoThread().execute(task);
        }
    }
}
