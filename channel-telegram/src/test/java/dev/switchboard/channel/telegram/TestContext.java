package dev.switchboard.channel.telegram;

import com.typesafe.config.ConfigFactory;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.StatusReporter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/** A hand-written {@link ChannelContext} for adapter-level tests: records what the adapter does. */
final class TestContext implements ChannelContext, AutoCloseable {
    final List<InboundMessage> accepted = new CopyOnWriteArrayList<>();
    final List<String> states = new CopyOnWriteArrayList<>();
    final Map<String, String> cursors = new ConcurrentHashMap<>();
    volatile Function<InboundMessage, InboundSink.Result> decision = message -> InboundSink.Result.ACCEPTED;

    private final AccountSettings settings;
    private final OkHttpClient http = new OkHttpClient();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    TestContext(String token, String hocon) {
        this.settings = new AccountSettings(
                "telegram", "main", ConfigFactory.parseString(hocon), Map.of("bot_token", Secret.of(token)));
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
        return http;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
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
    public void close() {
        scheduler.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
