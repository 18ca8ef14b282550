package dev.switchboard.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * The {@code status} of a protocol run ({@code chat.send}, {@code agent}, {@code agent.wait}) on the
 * wire. The first three acknowledge a run that has not ended; the others end it.
 */
public enum RunStatus {
    /** {@code chat.send}: a new run was started; {@code chat} events follow. */
    STARTED,
    /** {@code agent}'s first answer: a new run was accepted; {@code agent} events and the final answer follow. */
    ACCEPTED,
    /** A repeated idempotency key of a run still going; its final result follows ({@code agent}) or is awaited. */
    IN_FLIGHT,
    /** The run ended with a reply. */
    OK,
    /** The run failed; the text is the user-facing apology with its reference id. */
    ERROR,
    /** The run was aborted ({@code chat.abort}). */
    ABORTED,
    /** {@code agent.wait}: the run had not ended within {@code timeoutMs}; it keeps going. */
    TIMEOUT;

    /** {@code ok}, {@code in_flight}, ... */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /** Whether this answers a run that has not ended: {@code started}, {@code accepted}, {@code in_flight}. */
    public boolean acknowledges() {
        return this == STARTED || this == ACCEPTED || this == IN_FLIGHT;
    }

    /** The status named {@code name}, if there is one. */
    public static Optional<RunStatus> find(String name) {
        return WireNames.find(RunStatus.class, name);
    }

    /**
     * The run status named {@code name} on the wire.
     *
     * @throws IllegalArgumentException naming the value and the known ones
     */
    @JsonCreator
    public static RunStatus fromWire(String name) {
        return WireNames.parse(RunStatus.class, "run status", name);
    }
}
