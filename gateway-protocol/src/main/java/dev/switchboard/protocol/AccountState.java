package dev.switchboard.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The state of one channel account on the wire ({@code channel} events, {@code channels.status},
 * {@code health}, {@code status}). Mirrors {@code dev.switchboard.core.channel.AccountState}, which this
 * module cannot depend on; the wire names are the same.
 */
public enum AccountState {
    STARTING,
    CONNECTED,
    RECONNECTING,
    DEGRADED,
    STOPPED,
    FAILED;

    /** {@code connected}, {@code reconnecting}, ... */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * The account state named {@code name} on the wire.
     *
     * @throws IllegalArgumentException naming the value and the known ones
     */
    @JsonCreator
    public static AccountState fromWire(String name) {
        return WireNames.parse(AccountState.class, "account state", name);
    }
}
