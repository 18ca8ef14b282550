package dev.switchboard.spi;

/** An account's webhook route on the gateway's port; closing it removes the route. */
public interface WebhookRegistration extends AutoCloseable {
    /** The route's path on the gateway, e.g. {@code /webhooks/telegram/bot_123456}. */
    String path();

    /** Removes the route; requests to it are answered 404 afterwards. Idempotent. */
    @Override
    void close();
}
