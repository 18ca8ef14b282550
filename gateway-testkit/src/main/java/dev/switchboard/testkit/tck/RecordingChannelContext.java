package dev.switchboard.testkit.tck;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.StatusReporter;
import dev.switchboard.spi.WebhookHandler;
import dev.switchboard.spi.WebhookRegistration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * A {@link ChannelContext} for driving one adapter without a gateway (the TCK's adapter-level tests,
 * a channel module's own): records what the adapter accepted and the states it reported, keeps
 * cursors in memory, keeps the webhook handlers it registers (not served: call them directly), and answers
 * {@code accept} with {@link #decision} (default: accepted). {@link
 * #close()} releases the HTTP client and scheduler it owns.
 */
public final class RecordingChannelContext implements ChannelContext, AutoCloseable {
    /** Messages the adapter handed over that {@link #decision} accepted, in order. */
    public final List<InboundMessage> accepted = new CopyOnWriteArrayList<>();

    private volatile Duration clockOffset = Duration.ZERO;
    /** The system clock plus {@link #clockOffset}, read at each call: adapters keep the clock they were given. */
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the context's clock stays in UTC");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(clockOffset);
        }
    };
    /** Reported states: {@code connected}, {@code degraded: <reason>}, {@code failed permanently: <reason>}... */
    public final List<String> states = new CopyOnWriteArrayList<>();
    /** Saved cursors by name. */
    public final Map<String, String> cursors = new ConcurrentHashMap<>();
    /** Webhook handlers the adapter registered and has not closed, by path ({@code /webhooks/<channel>/<account>}). */
    public final Map<String, WebhookHandler> webhooks = new ConcurrentHashMap<>();
    /** How {@code accept} answers; throw {@link dev.switchboard.spi.InboundRejectedException} to refuse. */
    public volatile Function<InboundMessage, InboundSink.Result> decision = message -> InboundSink.Result.ACCEPTED;

    private final AccountSettings settings;
    private final OkHttpClient httpClient = new OkHttpClient();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "recording-context-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    public RecordingChannelContext(AccountSettings settings) {
        this.settings = settings;
    }

    @Override
    public AccountSettings settings() {
        return settings;
    }

    @Override
    public InboundSink inbound() {
        return message -> {
            InboundSink.Result result = decision.apply(message);
            if (result == InboundSink.Result.ACCEPTED) {
                accepted.add(message);
            }
            return result;
        };
    }

    @Override
    public StatusReporter status() {
        return new StatusReporter() {
            @Override
            public void connected() {
                states.add("connected");
            }

            @Override
            public void reconnecting(String reason) {
                states.add("reconnecting: " + reason);
            }

            @Override
            public void degraded(String reason) {
                states.add("degraded: " + reason);
            }

            @Override
            public void failed(String reason, boolean permanent) {
                states.add("failed" + (permanent ? " permanently" : "") + ": " + reason);
            }
        };
    }

    @Override
    public OkHttpClient httpClient() {
        return httpClient;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /**
     * Moves the adapter's clock forward (it runs on the system clock plus every amount moved so far), e.g. past a
     * platform's reply window.
     *
     * @param amount how far
     */
    public void advanceClock(Duration amount) {
        clockOffset = clockOffset.plus(amount);
    }

    @Override
    public Optional<String> cursor(String name) {
        return Optional.ofNullable(cursors.get(name));
    }

    @Override
    public void saveCursor(String name, String value) {
        cursors.put(name, value);
    }

    @Override
    public WebhookRegistration webhook(WebhookHandler handler) {
        String path = "/webhooks/" + settings.channelId() + "/" + settings.accountId();
        webhooks.put(path, handler);
        return new WebhookRegistration() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public void close() {
                webhooks.remove(path, handler);
            }
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        httpClient.dispatcher().executorService().shutdown();
        httpClient.connectionPool().evictAll();
    }
}
