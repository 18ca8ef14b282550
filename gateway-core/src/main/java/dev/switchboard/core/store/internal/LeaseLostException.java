package dev.switchboard.core.store.internal;

/**
 * A write under a {@link Fence} matched nothing: another replica holds the account's lease now, so
 * this one must stop writing for it.
 */
public final class LeaseLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLostException(String message) {
        super(message);
    }
}
