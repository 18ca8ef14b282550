package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code chat} event: a {@code chat.send} run's progress, to the socket that sent it. Fields a
 * state does not carry are left out of the JSON.
 *
 * @param seq counts the run's deltas from 1 ({@code delta} only)
 * @param deltaText one streamed piece of the reply ({@code delta} only)
 * @param message the whole reply ({@code final} only)
 * @param errorMessage the user-facing apology with its reference id ({@code error} only)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record ChatEvent(
        String runId,
        String sessionKey,
        State state,
        OptionalLong seq,
        Optional<String> deltaText,
        Optional<String> message,
        Optional<String> errorMessage) {
    /** Where the run is. */
    public enum State {
        DELTA,
        FINAL,
        ABORTED,
        ERROR;

        @JsonValue
        public String wireName() {
            return WireNames.of(this);
        }

        /**
         * The state named {@code name} on the wire.
         *
         * @throws IllegalArgumentException naming the value and the known ones
         */
        @JsonCreator
        public static State fromWire(String name) {
            return WireNames.parse(State.class, "chat state", name);
        }
    }

    public ChatEvent {
        requireNonNull(runId, "runId is null");
        requireNonNull(sessionKey, "sessionKey is null");
        requireNonNull(state, "state is null");
        requireNonNull(seq, "seq is null");
        requireNonNull(deltaText, "deltaText is null");
        requireNonNull(message, "message is null");
        requireNonNull(errorMessage, "errorMessage is null");
    }

    public static ChatEvent delta(String runId, String sessionKey, long seq, String text) {
        return new ChatEvent(
                runId,
                sessionKey,
                State.DELTA,
                OptionalLong.of(seq),
                Optional.of(text),
                Optional.empty(),
                Optional.empty());
    }

    public static ChatEvent finalReply(String runId, String sessionKey, String message) {
        return new ChatEvent(
                runId,
                sessionKey,
                State.FINAL,
                OptionalLong.empty(),
                Optional.empty(),
                Optional.of(message),
                Optional.empty());
    }

    public static ChatEvent error(String runId, String sessionKey, String errorMessage) {
        return new ChatEvent(
                runId,
                sessionKey,
                State.ERROR,
                OptionalLong.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(errorMessage));
    }

    public static ChatEvent aborted(String runId, String sessionKey) {
        return new ChatEvent(
                runId,
                sessionKey,
                State.ABORTED,
                OptionalLong.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }
}
