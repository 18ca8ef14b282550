package dev.switchboard.spi;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A send the platform did not take, thrown by {@link ChannelAdapter#send(OutboundMessage)}. {@link
 * #retryable()} tells the gateway's outbox whether to try again; {@link #retryAfter()} carries the
 * platform's own wait (Telegram's {@code retry_after}), else the outbox backs off by itself. The
 * message is shown to operators as the delivery's failure reason: name the platform's answer, never
 * a secret or the message text.
 */
public class SendException extends RuntimeException {
    private final boolean retryable;
    private final @Nullable Duration retryAfter;

    private SendException(String message, boolean retryable, @Nullable Duration retryAfter, @Nullable Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /**
     * A failure that a later attempt may get past: 5xx, a network error, a timeout.
     *
     * @param message what the platform answered
     * @param cause the underlying failure, or null
     * @return the exception to throw
     */
    public static SendException retryable(String message, @Nullable Throwable cause) {
        return new SendException(message, true, null, cause);
    }

    /**
     * Flood control: try again no sooner than {@code retryAfter}. Cap what the platform asked for at a
     * sane bound before passing it on.
     *
     * @param message what the platform answered
     * @param retryAfter the platform's wait
     * @return the exception to throw
     */
    public static SendException rateLimited(String message, Duration retryAfter) {
        return new SendException(message, true, retryAfter, null);
    }

    /**
     * A failure no retry fixes: the bot was blocked, the chat does not exist, the text is invalid. The
     * delivery ends failed with {@code message} as its reason.
     *
     * @param message what the platform answered
     * @return the exception to throw
     */
    public static SendException permanent(String message) {
        return new SendException(message, false, null, null);
    }

    /**
     * Whether the outbox sends the message again later.
     *
     * @return true for {@link #retryable(String, Throwable)} and {@link #rateLimited(String, Duration)}
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * The platform's own wait before the next attempt.
     *
     * @return the wait of a {@link #rateLimited(String, Duration)} failure, else empty
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
