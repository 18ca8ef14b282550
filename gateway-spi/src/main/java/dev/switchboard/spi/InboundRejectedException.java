package dev.switchboard.spi;

import org.jspecify.annotations.Nullable;

/**
 * The gateway could not take an inbound message right now. The adapter must leave it
 * unacknowledged at the platform so it is redelivered.
 */
public class InboundRejectedException extends RuntimeException {
    public InboundRejectedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
