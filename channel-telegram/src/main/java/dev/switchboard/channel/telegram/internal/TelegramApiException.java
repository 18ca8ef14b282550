package dev.switchboard.channel.telegram.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * An error answer of the Bot API: {@code {"ok":false,"error_code":N,"description":"...",
 * "parameters":{...}}}. The message is Telegram's description, which never holds the token.
 */
public final class TelegramApiException extends Exception {
    private final String method;
    private final int errorCode;
    private final String description;
    private final @Nullable Duration retryAfter;
    private final @Nullable Long migrateToChatId;

    public TelegramApiException(
            String method,
            int errorCode,
            String description,
            @Nullable Duration retryAfter,
            @Nullable Long migrateToChatId) {
        super(method + " failed: " + errorCode + " " + description);
        this.method = method;
        this.errorCode = errorCode;
        this.description = description;
        this.retryAfter = retryAfter;
        this.migrateToChatId = migrateToChatId;
    }

    public String method() {
        return method;
    }

    /** The HTTP status Telegram answered (equal to {@code error_code}). */
    public int errorCode() {
        return errorCode;
    }

    /** Telegram's description, e.g. {@code Forbidden: bot was blocked by the user}. */
    public String description() {
        return description;
    }

    /** {@code parameters.retry_after} of a 429. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** {@code parameters.migrate_to_chat_id} of a group that became a supergroup. */
    public OptionalLong migrateToChatId() {
        return migrateToChatId == null ? OptionalLong.empty() : OptionalLong.of(migrateToChatId);
    }

    public boolean isServerError() {
        return errorCode >= 500;
    }
}
