package dev.switchboard.core.http.openai.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request body's fields, refusing what is wrong with one line that names the field and
 * what was expected ({@code stream: "yes" (expected: true or false)}). A field given as {@code null}
 * counts as absent, as in OpenAI's API.
 */
final class RequestFields {
    private static final int SHOWN_VALUE_CHARS = 60;

    private RequestFields() {}

    /** The body as a JSON object. */
    static JsonNode object(String body) {
        JsonNode node;
        try {
            node = OpenAiJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw OpenAiException.invalid(
                    null, "the request body is not JSON: " + e.getOriginalMessage() + " (expected: a JSON object)");
        }
        if (node == null || !node.isObject()) {
            throw OpenAiException.invalid(null, "the request body is " + kind(node) + " (expected: a JSON object)");
        }
        return node;
    }

    /**
     * Refuses a field the API does not know ({@code known}: the fields it reads or accepts and
     * ignores), as OpenAI does, so a misspelt one is not silently dropped.
     */
    static void onlyKnown(JsonNode body, Set<String> known) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw OpenAiException.invalid(
                        name,
                        "Unrecognized request argument supplied: " + name + " (expected one of: "
                                + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /**
     * Refuses the features the gateway's agent cannot honour when a request asks for them: each
     * field with a value its predicate does not accept as harmless (absent and null always are).
     */
    static void unsupported(JsonNode body, Map<String, Unsupported> features) {
        features.forEach((name, feature) -> {
            JsonNode value = body.get(name);
            if (value != null && !value.isNull() && !feature.harmless().test(value)) {
                throw OpenAiException.invalid(
                        name, name + ": " + shown(value) + " (expected: " + feature.expected() + ")");
            }
        });
    }

    /** A feature of OpenAI's API the gateway refuses, unless its value asks for nothing. */
    record Unsupported(Predicate<JsonNode> harmless, String expected) {
        static Unsupported always(String expected) {
            return new Unsupported(value -> false, expected);
        }

        static Unsupported unless(Predicate<JsonNode> harmless, String expected) {
            return new Unsupported(harmless, expected);
        }
    }

    static String requiredText(JsonNode body, String name) {
        return optionalText(body, name)
                .orElseThrow(() -> OpenAiException.invalid(name, name + ": missing (expected: a string)"));
    }

    static Optional<String> optionalText(JsonNode body, String name) {
        return textAt(body.get(name), name);
    }

    /** A value that must be a string when present; {@code path} names it in errors. */
    static Optional<String> textAt(@Nullable JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw OpenAiException.invalid(path, path + ": " + shown(value) + " (expected: a string)");
        }
        return Optional.of(value.asText());
    }

    static boolean flag(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw OpenAiException.invalid(name, name + ": " + shown(value) + " (expected: true or false)");
        }
        return value.asBoolean();
    }

    /** A value as the error message shows it: its JSON, cut to a readable length. */
    static String shown(JsonNode value) {
        String json = value.toString();
        return json.length() <= SHOWN_VALUE_CHARS ? json : json.substring(0, SHOWN_VALUE_CHARS) + "...";
    }

    static boolean isEmptyArray(JsonNode value) {
        return value.isArray() && value.isEmpty();
    }

    private static String kind(@Nullable JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "empty";
        }
        return node.isArray()
                ? "an array"
                : node.isNull() ? "null" : "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
