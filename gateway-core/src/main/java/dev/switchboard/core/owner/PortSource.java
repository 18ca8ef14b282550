package dev.switchboard.core.owner;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where the gateway's port came from, recorded in owner.json as {@code portSource}. */
public enum PortSource {
    CLI,
    ENV,
    CONFIG,
    DEFAULT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
