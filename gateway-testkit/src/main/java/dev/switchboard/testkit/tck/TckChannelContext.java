package dev.switchboard.testkit.tck;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.AccountState;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.StatusReporter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * A {@link ChannelContext} for driving one adapter without a gateway: accepts every inbound message and
 * records it, records the states reported, keeps cursors in memory. {@link #close()} releases the client and
 * scheduler it owns.
 */
final class TckChannelContext implements ChannelContext, AutoCloseable {
    final List<InboundMessage> inbound = new CopyOnWriteArrayList<>();
    final List<AccountState> states = new CopyOnWriteArrayList<>();
    private final AccountSettings settings;
    private final OkHttpClient httpClient = new OkHttpClient();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "tck-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, String> cursors = new ConcurrentHashMap<>();

    TckChannelContext(AccountSettings settings) {
        this.settings = settings;
    }

    @Override
    public AccountSettings settings() {
        return settings;
    }

    @Override
    public InboundSink inbound() {
        return message -> {
            inbound.add(message);
            return InboundSink.Result.ACCEPTED;
        };
    }

    @Override
    public StatusReporter status() {
        return new StatusReporter() {
            @Override
            public void connected() {
                states.add(AccountState.CONNECTED);
            }

            @Override
            public void reconnecting(String reason) {
                states.add(AccountState.RECONNECTING);
            }

            @Override
            public void degraded(String reason) {
                states.add(AccountState.DEGRADED);
            }

            @Override
            public void failed(String reason, boolean permanent) {
                states.add(AccountState.FAILED);
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
        httpClient.dispatcher().executorService().shutdown();
        httpClient.connectionPool().evictAll();
    }
}
