package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code agent} event: an {@code agent} run's progress, to the socket that started it: {@code
 * lifecycle} {@code {phase:"start", startedAt}}, then one {@code assistant} {@code {delta}} per
 * streamed piece, then {@code lifecycle} {@code {phase:"end", status, endedAt}}.
 *
 * @param seq counts per run from 1 across both streams
 * @param ts when it was sent, epoch ms
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentEvent(String runId, long seq, Stream stream, long ts, Data data) {
    /** Which kind of progress. */
    public enum Stream {
        LIFECYCLE,
        ASSISTANT;

        @JsonValue
        public String wireName() {
            return WireNames.of(this);
        }

        /**
         * The stream named {@code name} on the wire.
         *
         * @throws IllegalArgumentException naming the value and the known ones
         */
        @JsonCreator
        public static Stream fromWire(String name) {
            return WireNames.parse(Stream.class, "agent stream", name);
        }
    }

    /** The two ends of a run's {@code lifecycle}. */
    public enum Phase {
        START,
        END;

        @JsonValue
        public String wireName() {
            return WireNames.of(this);
        }

        /**
         * The phase named {@code name} on the wire.
         *
         * @throws IllegalArgumentException naming the value and the known ones
         */
        @JsonCreator
        public static Phase fromWire(String name) {
            return WireNames.parse(Phase.class, "lifecycle phase", name);
        }
    }

    public AgentEvent {
        requireNonNull(runId, "runId is null");
        requireNonNull(stream, "stream is null");
        requireNonNull(data, "data is null");
    }

    /**
     * {@code data}: the fields a stream carries; the others are left out of the JSON.
     *
     * @param phase {@code lifecycle} only
     * @param startedAt {@code lifecycle} start only, epoch ms
     * @param status how the run ended; {@code lifecycle} end only
     * @param endedAt {@code lifecycle} end only, epoch ms
     * @param delta one streamed piece of the reply; {@code assistant} only
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Data(
            Optional<Phase> phase,
            OptionalLong startedAt,
            Optional<RunStatus> status,
            OptionalLong endedAt,
            Optional<String> delta) {
        public Data {
            requireNonNull(phase, "phase is null");
            requireNonNull(startedAt, "startedAt is null");
            requireNonNull(status, "status is null");
            requireNonNull(endedAt, "endedAt is null");
            requireNonNull(delta, "delta is null");
        }

        public static Data start(long startedAt) {
            return new Data(
                    Optional.of(Phase.START),
                    OptionalLong.of(startedAt),
                    Optional.empty(),
                    OptionalLong.empty(),
                    Optional.empty());
        }

        public static Data end(RunStatus status, long endedAt) {
            return new Data(
                    Optional.of(Phase.END),
                    OptionalLong.empty(),
                    Optional.of(status),
                    OptionalLong.of(endedAt),
                    Optional.empty());
        }

        public static Data delta(String text) {
            return new Data(
                    Optional.empty(), OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), Optional.of(text));
        }
    }
}
