package dev.switchboard.protocol;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns frames into JSON text and back. Decoding is strict: a frame with a missing, mistyped or
 * unknown field is refused with a {@link ProtocolException} whose message names the field and what
 * was expected, so a client author sees the mistake at once.
 */
public final class FrameCodec {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(isoInstants())
            // payload records: a list the wire leaves out or sends as null is an empty list, never null
            .withConfigOverride(
                    List.class, config -> config.setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY)))
            .build();
    private static final Set<String> REQUEST_FIELDS = Set.of("type", "id", "method", "params");
    private static final Set<String> RESPONSE_FIELDS = Set.of("type", "id", "ok", "payload", "error");
    private static final Set<String> EVENT_FIELDS = Set.of("type", "event", "payload", "seq", "stateVersion");
    private static final Set<String> ERROR_FIELDS = Set.of("code", "message", "details", "retryable", "retryAfterMs");

    private FrameCodec() {}

    /**
     * The protocol's mapper: JSON trees for frames, and the payload records ({@link HelloOk},
     * {@link Health}, ...: {@code Optional} fields, {@link Instant}s as ISO-8601
     * strings, absent lists read as empty).
     */
    public static ObjectMapper json() {
        return JSON;
    }

    public static String encode(Frame frame) {
        return toJson(frame).toString();
    }

    public static ObjectNode toJson(Frame frame) {
        ObjectNode node = JSON.createObjectNode();
        if (frame instanceof Frame.Request request) {
            node.put("type", "req").put("id", request.id()).put("method", request.method());
            node.set("params", request.params());
        } else if (frame instanceof Frame.Response response) {
            node.put("type", "res").put("id", response.id()).put("ok", response.ok());
            response.payload().ifPresent(payload -> node.set("payload", payload));
            response.error().ifPresent(error -> node.set("error", errorJson(error)));
        } else if (frame instanceof Frame.Event event) {
            node.put("type", "event").put("event", event.event());
            node.set("payload", event.payload());
            event.seq().ifPresent(seq -> node.put("seq", seq));
            event.stateVersion().ifPresent(version -> node.putObject("stateVersion")
                    .put("presence", version.presence())
                    .put("health", version.health()));
        }
        return node;
    }

    /**
     * The text of an event whose payload is already JSON: what {@link #encode} makes of the same
     * event, without re-encoding a payload that a broadcast sends to many sockets.
     */
    public static String encodeEvent(String event, String payloadJson, long seq, StateVersion stateVersion) {
        return "{\"type\":\"event\",\"event\":" + JSON.getNodeFactory().textNode(event) + ",\"payload\":"
                + payloadJson + ",\"seq\":" + seq + ",\"stateVersion\":{\"presence\":" + stateVersion.presence()
                + ",\"health\":" + stateVersion.health() + "}}";
    }

    /**
     * A frame a client sent, checked strictly (unknown fields refused).
     *
     * @throws ProtocolException INVALID_REQUEST when the text is not a well-formed frame
     */
    public static Frame decode(String text) {
        return decode(text, true);
    }

    /**
     * Decodes a frame sent by the gateway, ignoring fields this version does not know: the gateway
     * may add fields within protocol version 1 and clients must ignore them (docs/protocol.md,
     * versioning). Missing or mistyped known fields are still refused.
     *
     * @throws ProtocolException INVALID_REQUEST when the text is not a well-formed frame
     */
    public static Frame decodeFromServer(String text) {
        return decode(text, false);
    }

    private static Frame decode(String text, boolean strict) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw ProtocolException.invalid("invalid frame: not JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw ProtocolException.invalid("invalid frame: expected a JSON object");
        }
        String type = node.path("type").asText("");
        return switch (type) {
            case "req" -> request((ObjectNode) node, strict);
            case "res" -> response((ObjectNode) node, strict);
            case "event" -> event((ObjectNode) node, strict);
            default -> throw ProtocolException.invalid(
                    "invalid frame: type " + describe(node.get("type")) + " (expected: req, res or event)");
        };
    }

    /** The {@code id} of a frame that failed to decode, when it had a usable one. */
    public static Optional<String> idOf(String text) {
        try {
            JsonNode id = JSON.readTree(text).path("id");
            return id.isTextual() && !id.asText().isEmpty() ? Optional.of(id.asText()) : Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Frame.Request request(ObjectNode node, boolean strict) {
        checkFields(node, REQUEST_FIELDS, "request", strict);
        String id = requiredString(node, "id", "request");
        String method = requiredString(node, "method", "request");
        JsonNode params = node.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw ProtocolException.invalid(
                    "invalid request: params is " + describe(params) + " (expected: an object)");
        }
        return new Frame.Request(
                id, method, params == null || params.isNull() ? JSON.createObjectNode() : (ObjectNode) params);
    }

    private static Frame.Response response(ObjectNode node, boolean strict) {
        checkFields(node, RESPONSE_FIELDS, "response", strict);
        String id = requiredString(node, "id", "response");
        JsonNode ok = node.get("ok");
        if (ok == null || !ok.isBoolean()) {
            throw ProtocolException.invalid("invalid response: ok is " + describe(ok) + " (expected: true or false)");
        }
        if (ok.asBoolean()) {
            return Frame.Response.ok(id, node.has("payload") ? node.get("payload") : JSON.createObjectNode());
        }
        JsonNode error = node.get("error");
        if (error == null || !error.isObject()) {
            throw ProtocolException.invalid(
                    "invalid response: ok is false but error is " + describe(error) + " (expected: an object)");
        }
        checkFields((ObjectNode) error, ERROR_FIELDS, "error", strict);
        JsonNode details = error.get("details");
        return Frame.Response.error(
                id,
                new ErrorShape(
                        requiredString(error, "code", "error"),
                        requiredString(error, "message", "error"),
                        details != null && details.isObject() ? (ObjectNode) details : JSON.createObjectNode(),
                        error.path("retryable").asBoolean(false),
                        error.path("retryAfterMs").asLong(0)));
    }

    private static Frame.Event event(ObjectNode node, boolean strict) {
        checkFields(node, EVENT_FIELDS, "event", strict);
        String event = requiredString(node, "event", "event");
        JsonNode seq = node.get("seq");
        if (seq != null && !seq.canConvertToLong()) {
            throw ProtocolException.invalid("invalid event: seq is " + describe(seq) + " (expected: an integer)");
        }
        JsonNode version = node.get("stateVersion");
        Optional<StateVersion> stateVersion = version == null || !version.isObject()
                ? Optional.empty()
                : Optional.of(new StateVersion(
                        version.path("presence").asLong(),
                        version.path("health").asLong()));
        return new Frame.Event(
                event,
                node.has("payload") ? node.get("payload") : JSON.createObjectNode(),
                seq == null ? OptionalLong.empty() : OptionalLong.of(seq.asLong()),
                stateVersion);
    }

    private static ObjectNode errorJson(ErrorShape error) {
        ObjectNode node = JSON.createObjectNode().put("code", error.code()).put("message", error.message());
        node.set("details", error.details());
        node.put("retryable", error.retryable()).put("retryAfterMs", error.retryAfterMs());
        return node;
    }

    private static void checkFields(ObjectNode node, Set<String> allowed, String what, boolean strict) {
        if (!strict) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ProtocolException.invalid("invalid " + what + ": unknown field '" + name + "' (expected: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String requiredString(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw ProtocolException.invalid(
                    "invalid " + what + ": " + field + " is " + describe(value) + " (expected: a non-empty string)");
        }
        return value.asText();
    }

    /** Instants as the wire has them: ISO-8601 strings ({@code 2026-01-01T00:00:12.250Z}). */
    private static SimpleModule isoInstants() {
        return new SimpleModule("switchboard-iso-instants")
                .addSerializer(Instant.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider)
                            throws IOException {
                        generator.writeString(value.toString());
                    }
                })
                .addDeserializer(Instant.class, new JsonDeserializer<>() {
                    @Override
                    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                        String text = parser.getValueAsString();
                        try {
                            return Instant.parse(text == null ? "" : text);
                        } catch (DateTimeParseException e) {
                            return (Instant) context.handleWeirdStringValue(
                                    Instant.class, text, "expected an ISO-8601 instant such as 2026-01-01T00:00:00Z");
                        }
                    }
                });
    }

    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        if (value.isTextual()) {
            String text = value.asText();
            return text.isEmpty() ? "empty" : "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
        }
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
