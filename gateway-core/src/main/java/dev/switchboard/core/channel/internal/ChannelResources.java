package dev.switchboard.core.channel.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.store.internal.CursorRepository;
import dev.switchboard.spi.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * What every account supervisor shares: the HTTP client and scheduler handed to adapters, the clock,
 * how failed accounts are restarted, and where cursors and webhooks live.
 *
 * @param httpClients the shared HTTP client, made at first use: with no channel that needs it (and the echo
 *     agent) none is made, and start-up does not pay for loading the TLS trust store
 * @param restartBackoff how long a failed account waits before its next adapter starts
 * @param stableAfter how long an account must stay connected before its restart backoff starts over
 * @param cursors where adapters' cursors are kept; empty: not persisted
 * @param webhooks the gateway port's webhook routes; empty: webhooks are not served
 */
public record ChannelResources(
        Supplier<OkHttpClient> httpClients,
        ScheduledExecutorService scheduler,
        Clock clock,
        Backoff restartBackoff,
        Duration stableAfter,
        Optional<CursorRepository> cursors,
        Optional<WebhookRouter> webhooks) {
    /** How long an account stays connected before a failure counts as the first again (SPEC §7 backoff). */
    public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(60);

    /** Resources without a store or an HTTP port: adapters' cursors are not persisted, webhooks not served. */
    public ChannelResources(
            OkHttpClient httpClient, ScheduledExecutorService scheduler, Clock clock, Backoff restartBackoff) {
        this(httpClient, scheduler, clock, restartBackoff, DEFAULT_STABLE_AFTER, Optional.empty(), Optional.empty());
    }

    /** Resources around a client that exists already. */
    public ChannelResources(
            OkHttpClient httpClient,
            ScheduledExecutorService scheduler,
            Clock clock,
            Backoff restartBackoff,
            Duration stableAfter,
            Optional<CursorRepository> cursors,
            Optional<WebhookRouter> webhooks) {
        this(() -> httpClient, scheduler, clock, restartBackoff, stableAfter, cursors, webhooks);
        requireNonNull(httpClient, "httpClient is null");
    }

    public ChannelResources {
        requireNonNull(httpClients, "httpClients is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(restartBackoff, "restartBackoff is null");
        requireNonNull(stableAfter, "stableAfter is null");
        requireNonNull(cursors, "cursors is null");
        requireNonNull(webhooks, "webhooks is null");
    }

    /** The shared HTTP client; the first call makes it. */
    public OkHttpClient httpClient() {
        return httpClients.get();
    }
}
