package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.InboundSink;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * What every account supervisor shares: where inbound messages go, the HTTP client and scheduler
 * handed to adapters, the clock, and the restart backoff.
 */
public record ChannelResources(
        InboundSink inbound,
        OkHttpClient httpClient,
        ScheduledExecutorService scheduler,
        Clock clock,
        Backoff backoff) {
    public ChannelResources {
        requireNonNull(inbound, "inbound is null");
        requireNonNull(httpClient, "httpClient is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(backoff, "backoff is null");
    }
}
