package dev.switchboard.spi;

/**
 * An account's webhook route on the gateway's port, from {@link ChannelContext#webhook(WebhookHandler)};
 * closing it removes the route. Thread-safe.
 */
public interface WebhookRegistration extends AutoCloseable {
    /**
     * The route's path on the gateway, to tell the platform (with the gateway's public URL).
     *
     * @return e.g. {@code /webhooks/telegram/bot_123456}
     */
    String path();

    /** Removes the route; requests to it are answered 404 afterwards. Idempotent. */
    @Override
    void close();
}
