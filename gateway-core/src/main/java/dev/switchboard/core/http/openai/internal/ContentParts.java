package dev.switchboard.core.http.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** The text of one content part of a message ({@code {"type":"text","text":"..."}} and its kin). */
final class ContentParts {
    private ContentParts() {}

    /**
     * @param types the part types that carry text ({@code text}, {@code input_text}, ...)
     * @param expected what the error says was expected instead of another type
     */
    static String text(JsonNode part, String path, Set<String> types, String expected) {
        if (!part.isObject()) {
            throw OpenAiException.invalid(
                    path, path + ": " + RequestFields.shown(part) + " (expected: an object with type and text)");
        }
        String type = RequestFields.textAt(part.get("type"), path + ".type")
                .orElseThrow(() ->
                        OpenAiException.invalid(path + ".type", path + ".type: missing (expected: " + expected + ")"));
        if (!types.contains(type)) {
            throw OpenAiException.invalid(
                    path + ".type", path + ".type: \"" + type + "\" (expected: " + expected + ")");
        }
        return RequestFields.textAt(part.get("text"), path + ".text")
                .orElseThrow(
                        () -> OpenAiException.invalid(path + ".text", path + ".text: missing (expected: a string)"));
    }
}
