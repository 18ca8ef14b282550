package dev.switchboard.spi;

import org.jspecify.annotations.Nullable;

/**
 * The gateway could not take an inbound message right now (its store is unavailable, it is shutting
 * down). Thrown by {@link InboundSink}; the adapter must leave the message unacknowledged at the
 * platform (and its cursor where it was) so it is delivered again, and go on receiving after a
 * {@link Backoff} delay.
 */
public class InboundRejectedException extends RuntimeException {
    /**
     * Creates the exception; the gateway does.
     *
     * @param message why the gateway could not take the message
     * @param cause the underlying failure, or null
     */
    public InboundRejectedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
