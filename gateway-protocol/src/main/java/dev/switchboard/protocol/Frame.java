package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.OptionalLong;

/** One JSON text frame of the control protocol: a request, a response or an event. */
public sealed interface Frame {
    /** {@code {"type":"req","id":..,"method":..,"params":{..}}}. */
    record Request(String id, String method, ObjectNode params) implements Frame {
        public Request {
            requireNonNull(id, "id is null");
            requireNonNull(method, "method is null");
            params = params == null ? JsonNodeFactory.instance.objectNode() : params;
        }
    }

    /** {@code {"type":"res","id":..,"ok":true,"payload":..}} or {@code ..."ok":false,"error":{..}}}. */
    record Response(String id, boolean ok, Optional<JsonNode> payload, Optional<ErrorShape> error) implements Frame {
        public Response {
            requireNonNull(id, "id is null");
            requireNonNull(payload, "payload is null");
            requireNonNull(error, "error is null");
            if (ok == error.isPresent()) {
                throw new IllegalArgumentException("a response has an error exactly when ok is false");
            }
        }

        public static Response ok(String id, JsonNode payload) {
            return new Response(id, true, Optional.of(payload), Optional.empty());
        }

        public static Response error(String id, ErrorShape error) {
            return new Response(id, false, Optional.empty(), Optional.of(error));
        }
    }

    /**
     * {@code {"type":"event","event":..,"payload":..,"seq":N,"stateVersion":{..}}}; the challenge
     * has no seq.
     */
    record Event(String event, JsonNode payload, OptionalLong seq, Optional<StateVersion> stateVersion)
            implements Frame {
        public Event {
            requireNonNull(event, "event is null");
            requireNonNull(payload, "payload is null");
            requireNonNull(seq, "seq is null");
            requireNonNull(stateVersion, "stateVersion is null");
        }

        /**
         * The payload read as its record ({@link ChatEvent}, {@link ChannelStatus}, ...), ignoring
         * fields this version does not know.
         *
         * @throws IllegalArgumentException naming the field that cannot be read
         */
        public <T> T payload(Class<T> type) {
            return Payloads.read(payload, type);
        }
    }
}
