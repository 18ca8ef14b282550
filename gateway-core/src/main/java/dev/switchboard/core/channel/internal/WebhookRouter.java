package dev.switchboard.core.channel.internal;

import dev.switchboard.spi.WebhookHandler;
import dev.switchboard.spi.WebhookRegistration;

/** Where accounts' webhook routes are served: the gateway's HTTP port (SPEC §5.2). */
@FunctionalInterface
public interface WebhookRouter {
    /** Serves {@code handler} at {@code /webhooks/<channel>/<account>}, replacing an earlier handler of the account. */
    WebhookRegistration register(String channelId, String accountId, WebhookHandler handler);
}
