package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a method answers: a response now (may be absent), what to do once it is sent (e.g. start a
 * run whose events follow it), and a response sent later on the same request id when {@code
 * followUp} completes (the second stage of {@code agent}, or the only one of {@code agent.wait}). A
 * follow-up completes from whatever thread ends the work; no worker waits for it.
 */
public record Answer(Optional<JsonNode> payload, Runnable then, Optional<CompletableFuture<JsonNode>> followUp) {
    public Answer {
        requireNonNull(payload, "payload is null");
        requireNonNull(then, "then is null");
        requireNonNull(followUp, "followUp is null");
    }

    public static Answer of(JsonNode payload) {
        return of(payload, Answer::nothing);
    }

    public static Answer of(JsonNode payload, Runnable then) {
        return new Answer(Optional.of(payload), then, Optional.empty());
    }

    public static Answer twoStage(JsonNode first, Runnable then, CompletableFuture<JsonNode> last) {
        return new Answer(Optional.of(first), then, Optional.of(last));
    }

    public static Answer later(CompletableFuture<JsonNode> only) {
        return new Answer(Optional.empty(), Answer::nothing, Optional.of(only));
    }

    private static void nothing() {}
}
