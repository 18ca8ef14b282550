package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.store.CursorRepository;
import dev.switchboard.spi.InboundSink;
import java.time.Clock;
import java.util.Optional;
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
        Backoff backoff,
        Optional<CursorRepository> cursors,
        Optional<WebhookRouter> webhooks) {
    /** Resources without a store or an HTTP port: adapters' cursors are not persisted, webhooks not served. */
    public ChannelResources(
            InboundSink inbound,
            OkHttpClient httpClient,
            ScheduledExecutorService scheduler,
            Clock clock,
            Backoff backoff) {
        this(inbound, httpClient, scheduler, clock, backoff, Optional.empty(), Optional.empty());
    }

    public ChannelResources {
        requireNonNull(cursors, "cursors is null");
        requireNonNull(webhooks, "webhooks is null");
        requireNonNull(inbound, "inbound is null");
        requireNonNull(httpClient, "httpClient is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(backoff, "backoff is null");
    }
}
