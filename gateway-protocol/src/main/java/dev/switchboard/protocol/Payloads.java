package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * Payload records to JSON and back, with the protocol's mapper ({@link FrameCodec#json()}): absent
 * optionals are written as the wire has them (left out or {@code null}, field by field), and
 * reading ignores fields this version does not know, so an older client reads a newer gateway.
 */
public final class Payloads {
    private Payloads() {}

    /**
     * Reads a payload as its record.
     *
     * @throws IllegalArgumentException with one line naming the record, the field and what was wrong,
     *     e.g. {@code unreadable ChannelStatus: state: account state 'sleeping' (expected: starting,
     *     ...)}
     */
    public static <T> T read(JsonNode payload, Class<T> type) {
        requireNonNull(payload, "payload is null");
        requireNonNull(type, "type is null");
        try {
            return FrameCodec.json().treeToValue(payload, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable " + type.getSimpleName() + ": " + describe(e), e);
        }
    }

    /** The JSON object of a payload record. */
    public static ObjectNode toJson(Record payload) {
        requireNonNull(payload, "payload is null");
        return FrameCodec.json().valueToTree(payload);
    }

    private static String describe(JsonProcessingException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String problem = cause == e ? e.getOriginalMessage() : cause.getMessage();
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return oneLine(problem);
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? oneLine(problem) : path + ": " + oneLine(problem);
    }

    private static String oneLine(@Nullable String text) {
        return String.valueOf(text).replaceAll("\\s*\\R\\s*", " ");
    }
}
