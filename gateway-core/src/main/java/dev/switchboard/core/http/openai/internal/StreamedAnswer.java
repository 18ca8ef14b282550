package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.routing.internal.ProtocolRuns;
import io.undertow.server.HttpServerExchange;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Streams a run's reply as server-sent events. The stream opens with the first delta (or the end,
 * for a reply without deltas), so a run that fails before it has said anything is answered with an
 * HTTP error status like a non-streamed request; one that fails mid-way ends its stream with the
 * format's error event.
 */
final class StreamedAnswer implements HttpAnswer {
    private final HttpServerExchange exchange;
    private final Function<String, ReplyFormat> formats;
    private volatile @Nullable ReplyFormat format;
    private final long maxBufferedBytes;
    private final StringBuilder streamed = new StringBuilder();
    private @Nullable SseStream stream;

    StreamedAnswer(HttpServerExchange exchange, Function<String, ReplyFormat> formats, long maxBufferedBytes) {
        this.exchange = requireNonNull(exchange, "exchange is null");
        this.formats = requireNonNull(formats, "formats is null");
        this.maxBufferedBytes = maxBufferedBytes;
    }

    @Override
    public synchronized void delta(String text) {
        if (text.isEmpty()) {
            return;
        }
        open().send(format().delta(text));
        streamed.append(text);
    }

    @Override
    public synchronized void finished(ProtocolRuns.RunResult result) {
        if (result.ok()) {
            SseStream open = open();
            String text = result.text();
            // a reply that was not streamed (or not all of it: "/new" answers without deltas) sends the rest now
            if (text.startsWith(streamed.toString()) && text.length() > streamed.length()) {
                open.send(format().delta(text.substring(streamed.length())));
            }
            open.send(format().closing(text));
            open.end();
        } else if (stream == null) {
            RunFailures.of(result).send(exchange);
        } else {
            stream.send(format().failure(RunFailures.of(result), streamed.toString()));
            stream.end();
        }
    }

    private SseStream open() {
        SseStream open = stream;
        if (open == null) {
            open = new SseStream(exchange, maxBufferedBytes);
            open.send(format().opening());
            stream = open;
        }
        return open;
    }

    @Override
    public void bind(String runId) {
        format = formats.apply(runId);
    }

    private ReplyFormat format() {
        return requireNonNull(format, "a reply's format is bound before its run starts");
    }
}
