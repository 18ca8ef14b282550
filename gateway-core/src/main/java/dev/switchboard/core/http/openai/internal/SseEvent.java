package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One server-sent event: {@code data: <json>} (chat completion chunks, {@code [DONE]}), with an
 * {@code event: <type>} line before it for the Responses API's typed events.
 */
record SseEvent(Optional<String> name, String data) {
    static final SseEvent DONE = data("[DONE]");

    SseEvent {
        requireNonNull(name, "name is null");
        requireNonNull(data, "data is null");
        if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an event's data is one line (compact JSON)");
        }
    }

    static SseEvent data(String data) {
        return new SseEvent(Optional.empty(), data);
    }

    static SseEvent named(String name, String data) {
        return new SseEvent(Optional.of(name), data);
    }

    /** The event as it goes on the wire, with the blank line that ends it. */
    String wire() {
        return name.map(value -> "event: " + value + "\n").orElse("") + "data: " + data + "\n\n";
    }
}
