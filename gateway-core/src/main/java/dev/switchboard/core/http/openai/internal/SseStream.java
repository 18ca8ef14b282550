package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xnio.IoUtils;

/**
 * A {@code text/event-stream} response written without blocking whoever produces the events (the
 * agent's thread, the session's lane): events are queued and written one batch at a time by
 * Undertow's asynchronous sender. A client that reads slower than the agent writes, until more than
 * {@code maxBufferedBytes} wait, is disconnected (the run still finishes and is stored), like a
 * slow control socket. A client that went away ends nothing but its own stream.
 */
final class SseStream {
    private static final HttpString NO_BUFFERING = new HttpString("X-Accel-Buffering");

    private final HttpServerExchange exchange;
    private final long maxBufferedBytes;
    private final List<ByteBuffer> pending = new ArrayList<>();
    private long pendingBytes;
    private boolean writing;
    private boolean ending;
    private boolean closed;

    /** Starts the response: 200 and the event-stream headers (sent with the first event). */
    SseStream(HttpServerExchange exchange, long maxBufferedBytes) {
        this.exchange = requireNonNull(exchange, "exchange is null");
        this.maxBufferedBytes = maxBufferedBytes;
        exchange.setStatusCode(200);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .put(Headers.CACHE_CONTROL, "no-cache")
                .put(NO_BUFFERING, "no");
    }

    synchronized void send(List<SseEvent> events) {
        for (SseEvent event : events) {
            send(event);
        }
    }

    synchronized void send(SseEvent event) {
        if (closed || ending) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(event.wire().getBytes(StandardCharsets.UTF_8));
        pending.add(bytes);
        pendingBytes += bytes.remaining();
        if (pendingBytes > maxBufferedBytes) {
            disconnect();
            return;
        }
        pump();
    }

    /** Ends the response once what is queued has been written. */
    synchronized void end() {
        ending = true;
        pump();
    }

    private void pump() {
        if (writing || closed) {
            return;
        }
        if (pending.isEmpty()) {
            if (ending) {
                closed = true;
                exchange.endExchange();
            }
            return;
        }
        ByteBuffer[] batch = pending.toArray(ByteBuffer[]::new);
        pending.clear();
        pendingBytes = 0;
        writing = true;
        exchange.getResponseSender().send(batch, new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ignored, Sender sender) {
                synchronized (SseStream.this) {
                    writing = false;
                    pump();
                }
            }

            @Override
            public void onException(HttpServerExchange ignored, Sender sender, IOException e) {
                synchronized (SseStream.this) {
                    writing = false;
                    disconnect();
                }
            }
        });
    }

    private void disconnect() {
        closed = true;
        pending.clear();
        pendingBytes = 0;
        IoUtils.safeClose(exchange.getConnection());
    }
}
