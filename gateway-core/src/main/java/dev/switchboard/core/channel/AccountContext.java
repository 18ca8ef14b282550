package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.StatusReporter;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/** What one adapter generation sees of the gateway. */
record AccountContext(
        AccountSettings settings,
        InboundSink inbound,
        StatusReporter status,
        OkHttpClient httpClient,
        ScheduledExecutorService scheduler,
        Clock clock)
        implements ChannelContext {
    AccountContext {
        requireNonNull(settings, "settings is null");
        requireNonNull(inbound, "inbound is null");
        requireNonNull(status, "status is null");
        requireNonNull(httpClient, "httpClient is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(clock, "clock is null");
    }
}
