package dev.switchboard.cli.doctor;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.StatusReporter;
import dev.switchboard.spi.WebhookHandler;
import dev.switchboard.spi.WebhookRegistration;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.OkHttpClient;

/**
 * Checks one account's credentials while no gateway runs it: creates the channel's adapter, calls {@link
 * ChannelAdapter#probe()} without starting it (the SPI allows that), and closes it. The adapter gets a
 * context that receives nothing and serves no route, and its own HTTP client and timer thread, released
 * afterwards, so the doctor leaves nothing running. A probe that does not answer in time is a failure:
 * the doctor must never hang on a platform.
 */
final class OfflineProbe {
    private final Duration timeout;
    private final Clock clock;

    OfflineProbe(Duration timeout, Clock clock) {
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    ProbeResult probe(ChannelProvider provider, AccountSettings settings) {
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(timeout).build();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon("doctor-probe-timer"));
        ExecutorService worker = Executors.newSingleThreadExecutor(daemon("doctor-probe"));
        try {
            ProbeContext context = new ProbeContext(settings, http, timers, clock);
            Future<ProbeResult> result = worker.submit(() -> {
                try (ChannelAdapter adapter = provider.create(context)) {
                    return adapter.probe();
                }
            });
            try {
                return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                result.cancel(true);
                return ProbeResult.failed("no answer within " + timeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return ProbeResult.failed(cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ProbeResult.failed("interrupted");
            }
        } finally {
            worker.shutdownNow();
            timers.shutdownNow();
            http.dispatcher().executorService().shutdownNow();
            http.connectionPool().evictAll();
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** What a never-started adapter sees: its settings, and a gateway that takes nothing in. */
    private record ProbeContext(
            AccountSettings settings, OkHttpClient httpClient, ScheduledExecutorService scheduler, Clock clock)
            implements ChannelContext {
        @Override
        public InboundSink inbound() {
            return RefusingSink.INSTANCE;
        }

        @Override
        public StatusReporter status() {
            return SilentStatus.INSTANCE;
        }

        @Override
        public WebhookRegistration webhook(WebhookHandler handler) {
            String path = "/webhooks/" + settings.channelId() + "/" + settings.accountId();
            return new WebhookRegistration() {
                @Override
                public String path() {
                    return path;
                }

                @Override
                public void close() {}
            };
        }
    }

    private enum RefusingSink implements InboundSink {
        INSTANCE;

        @Override
        public Result accept(InboundMessage message) {
            throw new InboundRejectedException("the doctor receives no messages", null);
        }
    }

    private enum SilentStatus implements StatusReporter {
        INSTANCE;

        @Override
        public void connected() {}

        @Override
        public void reconnecting(String reason) {}

        @Override
        public void degraded(String reason) {}

        @Override
        public void failed(String reason, boolean permanent) {}
    }
}
