package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The open platform answered a call with an error: a non-zero {@code code} with its {@code msg}, or an HTTP
 * error without a platform answer ({@code code} 0 then). Its message is the platform's, with no secret in it.
 */
public final class FeishuApiException extends Exception {
    /** Over the frequency limit (HTTP 429 carries it too). */
    public static final int RATE_LIMITED = 99991400;

    /** The tenant access token is missing, invalid or expired: fetch a new one and retry once. */
    private static final Set<Integer> TOKEN_ERRORS = Set.of(99991661, 99991663, 99991664, 99991665);

    private final String call;
    private final int httpStatus;
    private final int code;
    private final String platformMessage;
    private final @Nullable Duration reset;

    public FeishuApiException(String call, int httpStatus, int code, String platformMessage, @Nullable Duration reset) {
        super(call + ": " + (code != 0 ? code + " " : "HTTP " + httpStatus + " ") + platformMessage);
        this.call = requireNonNull(call, "call is null");
        this.httpStatus = httpStatus;
        this.code = code;
        this.platformMessage = requireNonNull(platformMessage, "platformMessage is null");
        this.reset = reset;
    }

    public String call() {
        return call;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The platform's error code, 0 when the answer was no platform answer. */
    public int code() {
        return code;
    }

    /** The platform's {@code msg}. */
    public String platformMessage() {
        return platformMessage;
    }

    /** The {@code x-ogw-ratelimit-reset} wait of a rate-limited call. */
    public Optional<Duration> reset() {
        return Optional.ofNullable(reset);
    }

    public boolean isTokenError() {
        return TOKEN_ERRORS.contains(code);
    }

    public boolean isRateLimited() {
        return httpStatus == 429 || code == RATE_LIMITED;
    }

    public boolean isServerError() {
        return httpStatus >= 500;
    }

    /** Never null: the constructor builds it. */
    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage());
    }
}
