package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an adapter hands what it received; implemented by the gateway ({@link ChannelContext#inbound()}).
 * {@link #accept} returns only once the gateway has decided about the message (and, for an accepted
 * one, made it durable), so an adapter acknowledges the platform (or saves its cursor) right after it
 * returns and never before. Both methods block on the store's commit, typically for milliseconds;
 * call them from the adapter's receive thread (or a webhook handler), never from the shared
 * scheduler. Thread-safe.
 *
 * <p>The gateway applies the account's allowlist and deduplicates on (channel, account, platform
 * message id): hand it every message as received, redeliveries included.
 */
public interface InboundSink {
    /** The gateway's decision about one message. */
    enum Result {
        /** Stored: the gateway answers it, even across a crash. Acknowledge the platform. */
        ACCEPTED,
        /** Seen before (same channel, account and platform message id). Acknowledge and drop. */
        DUPLICATE,
        /** Not from an allowed conversation: counted, never answered. Acknowledge and drop. */
        DROPPED
    }

    /**
     * Hands one message to the gateway.
     *
     * @param message the message as received
     * @return the gateway's decision; acknowledge the platform for each of them
     * @throws InboundRejectedException when the gateway could not take it (for example the store is
     *     unavailable); the adapter must not acknowledge the platform, so the message is delivered
     *     again later
     */
    Result accept(InboundMessage message);

    /**
     * Hands a batch (a page of {@code getUpdates}) to the gateway in order, with one durable commit
     * for the whole batch where the gateway can: the results, in order, are what {@link #accept}
     * would have answered for each.
     *
     * @param messages the batch, in the platform's order
     * @return one decision per message, in the same order
     * @throws InboundRejectedException when the gateway could not take the batch: acknowledge none of
     *     it, so the platform delivers it again (messages already stored are then deduplicated)
     */
    default List<Result> acceptAll(List<InboundMessage> messages) {
        List<Result> results = new ArrayList<>(messages.size());
        for (InboundMessage message : messages) {
            results.add(accept(message));
        }
        return results;
    }
}
