package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

/**
 * Inbound totals of one account, for {@code channels status} and {@code /metrics}.
 *
 * @param channel channel id
 * @param account account id
 * @param accepted messages stored
 * @param unanswered of those, messages whose reply is not yet in the outbox
 */
public record InboundCount(String channel, String account, long accepted, long unanswered) {
    public InboundCount {
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
    }
}
