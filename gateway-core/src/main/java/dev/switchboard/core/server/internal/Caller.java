package dev.switchboard.core.server.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** The socket a request came from, as a method sees it. */
public interface Caller {
    /** For messages and logs: {@code cli 0.1.0 (127.0.0.1, conn 1a2b3c4d)}. */
    String describe();

    /** Sends an event to this socket only (a run's progress), with the socket's next {@code seq}. */
    void sendEvent(String event, JsonNode payload);
}
