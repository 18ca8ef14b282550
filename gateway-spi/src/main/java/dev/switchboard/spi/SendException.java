package dev.switchboard.spi;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A send the platform did not take. {@link #retryable()} tells the outbox whether to try again;
 * {@link #retryAfter()} carries the platform's own wait (Telegram's {@code retry_after}).
 */
public class SendException extends RuntimeException {
    private final boolean retryable;
    private final @Nullable Duration retryAfter;

    private SendException(String message, boolean retryable, @Nullable Duration retryAfter, @Nullable Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** A failure that a later attempt may get past: 5xx, a network error, a timeout. */
    public static SendException retryable(String message, @Nullable Throwable cause) {
        return new SendException(message, true, null, cause);
    }

    /** Flood control: try again no sooner than {@code retryAfter}. */
    public static SendException rateLimited(String message, Duration retryAfter) {
        return new SendException(message, true, retryAfter, null);
    }

    /** A failure no retry fixes: the bot was blocked, the chat does not exist, the text is invalid. */
    public static SendException permanent(String message) {
        return new SendException(message, false, null, null);
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
