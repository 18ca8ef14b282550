package dev.switchboard.spi;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * Everything an adapter may touch, handed to it by the gateway. No gateway internals cross this
 * line, so a channel module depends on {@code gateway-spi} alone.
 */
public interface ChannelContext {
    /** The account's resolved settings, secrets included. */
    AccountSettings settings();

    /** Where received messages go. */
    InboundSink inbound();

    /** How the adapter reports its state. */
    StatusReporter status();

    /**
     * The gateway's shared HTTP client. Derive per-adapter clients with {@code newBuilder()} so
     * they share its connection pool and dispatcher threads.
     */
    OkHttpClient httpClient();

    /** A shared scheduler for timers (pings, token refresh). Never block on it. */
    ScheduledExecutorService scheduler();

    Clock clock();

    /**
     * A value the adapter persists across restarts, such as Telegram's update offset. Empty when
     * nothing was stored yet.
     */
    default java.util.Optional<String> cursor(String name) {
        return java.util.Optional.empty();
    }

    /** Stores a cursor durably before returning. */
    default void saveCursor(String name, String value) {
        throw new UnsupportedOperationException("this gateway does not persist cursors");
    }

    /**
     * Serves {@code handler} for {@code POST} requests to {@code /webhooks/<channel>/<account>} on the
     * gateway's port (SPEC §5.2), until the returned registration is closed; the adapter closes it in
     * {@link ChannelAdapter#close()}. One handler per account: registering again replaces it.
     *
     * @throws UnsupportedOperationException when this gateway serves no webhooks
     */
    default WebhookRegistration webhook(WebhookHandler handler) {
        throw new UnsupportedOperationException("this gateway serves no webhooks");
    }
}
