package dev.switchboard.spi.agent;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A run that produced no complete answer. {@link #getMessage()} is for operators: what failed,
 * with the provider's own detail (HTTP status, error type and message, request id), and never a
 * secret. {@link #userMessage()} is a short fixed phrase that is safe to show a chat user: it never
 * contains provider text.
 */
public class AgentException extends RuntimeException {
    /** What went wrong, each with a phrase fit for the user. */
    public enum Kind {
        /** The provider refused the API key (401, 403). */
        AUTH("the assistant is not set up correctly"),
        /** The provider asked us to slow down (429). */
        RATE_LIMITED("the assistant is busy right now, please try again in a moment"),
        /** The provider failed (5xx). */
        UNAVAILABLE("the assistant is unavailable right now, please try again later"),
        /** The provider could not be reached, or the connection broke before any reply. */
        NETWORK("the assistant could not be reached, please try again later"),
        /** A connect, first-byte, idle or total timeout. */
        TIMEOUT("the assistant took too long to answer"),
        /** The reply stream broke: dropped connection, malformed chunk, no end marker. */
        BROKEN_STREAM("the answer was cut off"),
        /** The provider rejected the request itself (400, 404, 422: unknown model, too long). */
        REJECTED("the assistant could not handle that message"),
        /** The run was aborted by the gateway. */
        ABORTED("the answer was stopped"),
        /** A bug or an unexpected failure on our side. */
        INTERNAL("something went wrong on our side");

        private final String userPhrase;

        Kind(String userPhrase) {
            this.userPhrase = userPhrase;
        }

        /**
         * A short lower-case phrase for the user, never containing provider text.
         *
         * @return e.g. {@code "the answer was cut off"}
         */
        public String userPhrase() {
            return userPhrase;
        }
    }

    private final Kind kind;
    private final boolean retryable;
    private final @Nullable Integer httpStatus;

    /**
     * A failed run with every detail.
     *
     * @param kind what went wrong
     * @param retryable whether a later retry of the same request may succeed
     * @param message for operators: what failed, with the provider's detail, never a secret
     * @param httpStatus the provider's HTTP status, or null when it was no HTTP error answer
     * @param cause the underlying failure, or null
     */
    public AgentException(
            Kind kind, boolean retryable, String message, @Nullable Integer httpStatus, @Nullable Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
        this.retryable = retryable;
        this.httpStatus = httpStatus;
    }

    /**
     * A failed run without an HTTP status or a cause.
     *
     * @param kind what went wrong
     * @param retryable whether a later retry of the same request may succeed
     * @param message for operators: what failed, never a secret
     */
    public AgentException(Kind kind, boolean retryable, String message) {
        this(kind, retryable, message, null, null);
    }

    /**
     * What went wrong.
     *
     * @return the failure's kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether running the same request again later may succeed (a 5xx, a 429, a network error). The
     * runtime has already retried what it safely could; this tells the caller whether a later retry
     * makes sense at all.
     *
     * @return true when a later retry may succeed
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * The provider's HTTP status, when the failure was an HTTP error response.
     *
     * @return the status, or empty
     */
    public Optional<Integer> httpStatus() {
        return Optional.ofNullable(httpStatus);
    }

    /**
     * A short user-safe phrase: {@link Kind#userPhrase()}.
     *
     * @return a phrase without provider text
     */
    public String userMessage() {
        return kind.userPhrase();
    }
}
