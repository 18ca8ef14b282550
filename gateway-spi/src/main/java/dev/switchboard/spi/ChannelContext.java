package dev.switchboard.spi;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * Everything an adapter may touch, handed to it by the gateway in {@link
 * ChannelProvider#create(ChannelContext)}. No gateway internals cross this line, so a channel module
 * depends on {@code gateway-spi} alone. Implemented by the gateway; every method is thread-safe and
 * returns the same objects for the adapter's whole life.
 */
public interface ChannelContext {
    /**
     * The account's settings.
     *
     * @return the resolved settings, secrets included
     */
    AccountSettings settings();

    /**
     * Where received messages go. Its methods block until the message is durable (see {@link
     * InboundSink}); call them from the adapter's receive thread.
     *
     * @return the gateway's inbound sink for this account
     */
    InboundSink inbound();

    /**
     * How the adapter reports its state: cheap, never blocking, callable from any thread.
     *
     * @return the status reporter of this adapter
     */
    StatusReporter status();

    /**
     * The gateway's shared HTTP client. Derive per-adapter clients with {@code newBuilder()} so
     * they share its connection pool and dispatcher threads (a client of the adapter's own leaves
     * threads behind, which the TCK's leak check fails). Never shut it down.
     *
     * @return the shared client
     */
    OkHttpClient httpClient();

    /**
     * A shared scheduler for timers (pings, token refresh). Its few threads serve every account: never
     * block on it, and cancel what you scheduled in {@link ChannelAdapter#close()}. Never shut it down.
     *
     * @return the gateway's scheduler
     */
    ScheduledExecutorService scheduler();

    /**
     * The gateway's clock: use it for timestamps ({@link InboundMessage#receivedAt()}) and time
     * checks, so tests can run the adapter on a manual clock.
     *
     * @return the clock
     */
    Clock clock();

    /**
     * A value the adapter persists across restarts, such as Telegram's update offset. May block on
     * the store briefly.
     *
     * @param name the cursor's name, unique within the account
     * @return the stored value, or empty when nothing was stored yet (or this gateway stores none)
     */
    default Optional<String> cursor(String name) {
        return Optional.empty();
    }

    /**
     * Stores a cursor durably before returning (it blocks on the store's commit). Save a receive cursor
     * only after {@link InboundSink} accepted what it covers.
     *
     * @param name the cursor's name, unique within the account
     * @param value the value to store
     * @throws UnsupportedOperationException when this gateway does not persist cursors
     */
    default void saveCursor(String name, String value) {
        throw new UnsupportedOperationException("this gateway does not persist cursors");
    }

    /**
     * Serves {@code handler} for {@code POST} requests to {@code /webhooks/<channel>/<account>} on the
     * gateway's port (SPEC §5.2), until the returned registration is closed; the adapter closes it in
     * {@link ChannelAdapter#close()}. One handler per account: registering again replaces it.
     *
     * @param handler answers each request, on a gateway worker thread
     * @return the route, to close when the adapter stops
     * @throws UnsupportedOperationException when this gateway serves no webhooks
     */
    default WebhookRegistration webhook(WebhookHandler handler) {
        throw new UnsupportedOperationException("this gateway serves no webhooks");
    }
}
