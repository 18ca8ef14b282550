package dev.switchboard.core.channel.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.store.internal.CursorRepository;
import dev.switchboard.core.store.internal.Fence;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.StatusReporter;
import dev.switchboard.spi.WebhookHandler;
import dev.switchboard.spi.WebhookRegistration;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/** What one adapter generation sees of the gateway. */
record AccountContext(
        AccountSettings settings,
        InboundSink inbound,
        StatusReporter status,
        OkHttpClient httpClient,
        ScheduledExecutorService scheduler,
        Clock clock,
        Optional<CursorRepository> cursors,
        Optional<Fence> fence,
        Optional<WebhookRouter> webhooks)
        implements ChannelContext {
    AccountContext {
        requireNonNull(settings, "settings is null");
        requireNonNull(inbound, "inbound is null");
        requireNonNull(status, "status is null");
        requireNonNull(httpClient, "httpClient is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(cursors, "cursors is null");
        requireNonNull(fence, "fence is null");
        requireNonNull(webhooks, "webhooks is null");
    }

    @Override
    public Optional<String> cursor(String name) {
        requireNonNull(name, "name is null");
        return cursors.flatMap(repository -> repository.get(settings.channelId(), settings.accountId(), name));
    }

    @Override
    public void saveCursor(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        cursors.orElseThrow(() -> new UnsupportedOperationException("this gateway has no store for cursors"))
                .put(settings.channelId(), settings.accountId(), name, value, fence);
    }

    @Override
    public WebhookRegistration webhook(WebhookHandler handler) {
        requireNonNull(handler, "handler is null");
        return webhooks.orElseThrow(() -> new UnsupportedOperationException("this gateway serves no webhooks"))
                .register(settings.channelId(), settings.accountId(), handler);
    }
}
