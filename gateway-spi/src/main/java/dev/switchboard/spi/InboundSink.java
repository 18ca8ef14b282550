package dev.switchboard.spi;

/**
 * Where an adapter hands what it received. {@link #accept} returns only once the gateway has
 * decided about the message (and, for an accepted one, made it durable), so an adapter acknowledges
 * the platform right after it returns and never before.
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
     * @throws InboundRejectedException when the gateway could not take it (for example the store is
     *     unavailable); the adapter must not acknowledge the platform, so the message is delivered
     *     again later
     */
    Result accept(InboundMessage message);
}
