package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.routing.internal.ProtocolRuns;
import io.undertow.server.HttpServerExchange;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Answers a non-streamed request once its run has ended: the whole reply, or its error. */
final class WholeAnswer implements HttpAnswer {
    private final HttpServerExchange exchange;
    private final Function<String, ReplyFormat> formats;
    private volatile @Nullable ReplyFormat format;

    WholeAnswer(HttpServerExchange exchange, Function<String, ReplyFormat> formats) {
        this.exchange = requireNonNull(exchange, "exchange is null");
        this.formats = requireNonNull(formats, "formats is null");
    }

    @Override
    public void delta(String text) {}

    @Override
    public void finished(ProtocolRuns.RunResult result) {
        if (result.ok()) {
            exchange.setStatusCode(200);
            OpenAiJson.send(exchange, format().whole(result.text()));
        } else {
            RunFailures.of(result).send(exchange);
        }
    }

    @Override
    public void bind(String runId) {
        format = formats.apply(runId);
    }

    private ReplyFormat format() {
        return requireNonNull(format, "a reply's format is bound before its run starts");
    }
}
