package dev.switchboard.testkit.tck;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.StatusReporter;
import dev.switchboard.spi.WebhookHandler;
import dev.switchboard.spi.WebhookRegistration;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * The gateway's context as the channel under test sees it: the same, except that the inbound sink refuses a
 * message the TCK marked ({@link Instrumentation#failFirstAcceptOf}) the first time, exactly as the gateway
 * refuses what it cannot store ({@link InboundRejectedException}, nothing stored), cursors cannot be saved
 * while the TCK has the store down, and {@code skipped} reports are recorded before they reach the gateway.
 */
final class InstrumentedContext implements ChannelContext {
    private final ChannelContext context;
    private final Instrumentation instrumentation;

    InstrumentedContext(ChannelContext context, Instrumentation instrumentation) {
        this.context = requireNonNull(context, "context is null");
        this.instrumentation = requireNonNull(instrumentation, "instrumentation is null");
    }

    @Override
    public AccountSettings settings() {
        return context.settings();
    }

    @Override
    public InboundSink inbound() {
        InboundSink sink = context.inbound();
        return new InboundSink() {
            @Override
            public Result accept(InboundMessage message) {
                refuseIfMarked(List.of(message));
                return sink.accept(message);
            }

            @Override
            public List<Result> acceptAll(List<InboundMessage> messages) {
                refuseIfMarked(messages);
                return sink.acceptAll(messages);
            }
        };
    }

    /** Like the gateway when its store fails: the whole call is refused and nothing of it is stored. */
    private void refuseIfMarked(List<InboundMessage> messages) {
        for (InboundMessage message : messages) {
            if (instrumentation.takeAcceptFailure(message)) {
                throw new InboundRejectedException(
                        "could not store " + message + ": [SQLITE_FULL] database or disk is full (injected by the TCK)",
                        null);
            }
        }
    }

    @Override
    public StatusReporter status() {
        StatusReporter status = context.status();
        return new StatusReporter() {
            @Override
            public void connected() {
                status.connected();
            }

            @Override
            public void reconnecting(String reason) {
                status.reconnecting(reason);
            }

            @Override
            public void degraded(String reason) {
                status.degraded(reason);
            }

            @Override
            public void waiting(String reason, Duration wait) {
                status.waiting(reason, wait);
            }

            @Override
            public void skipped(String reason) {
                instrumentation.recordSkipped(reason);
                status.skipped(reason);
            }

            @Override
            public void failed(String reason, boolean permanent) {
                status.failed(reason, permanent);
            }
        };
    }

    @Override
    public OkHttpClient httpClient() {
        return context.httpClient();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return context.scheduler();
    }

    @Override
    public Clock clock() {
        return context.clock();
    }

    @Override
    public Optional<String> cursor(String name) {
        return context.cursor(name);
    }

    /** Fails while the TCK has the store down: a gateway that cannot store messages cannot store cursors. */
    @Override
    public void saveCursor(String name, String value) {
        if (instrumentation.storeDown()) {
            throw new IllegalStateException(
                    "could not save cursor " + name + ": [SQLITE_FULL] database or disk is full (injected by the TCK)");
        }
        context.saveCursor(name, value);
    }

    @Override
    public WebhookRegistration webhook(WebhookHandler handler) {
        return context.webhook(handler);
    }
}
