package dev.switchboard.testkit.telegram;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One request the bot made: the method (canonical spelling for known methods), its parameters from every
 * source merged into one JSON object, the HTTP status answered ({@code 0} while a long poll is still held or
 * when the connection was dropped without an answer) and when it arrived.
 */
public record ApiCall(String method, String paramsJson, int status, Instant at) {
    public ApiCall {
        requireNonNull(method, "method is null");
        requireNonNull(paramsJson, "paramsJson is null");
        requireNonNull(at, "at is null");
    }
}
