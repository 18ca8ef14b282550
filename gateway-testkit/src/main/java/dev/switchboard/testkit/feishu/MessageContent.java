package dev.switchboard.testkit.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Checks a send's {@code content} against its {@code msg_type}, and renders what a user would read. */
final class MessageContent {
    private MessageContent() {}

    /** Throws 230001 when {@code content} is not the JSON object {@code msgType} needs. */
    static void validate(String msgType, String content) {
        ObjectNode json = parse(content);
        boolean valid =
                switch (msgType) {
                    case "text" -> json.path("text").isTextual()
                            && !json.path("text").asText().isBlank();
                    case "post" -> !postBodies(json).isEmpty();
                    case "image" -> json.path("image_key").isTextual();
                    case "file", "audio", "media", "sticker" -> json.path("file_key")
                            .isTextual();
                    case "share_chat" -> json.path("chat_id").isTextual();
                    case "share_user" -> json.path("user_id").isTextual();
                    case "interactive" -> json.size() > 0;
                    default -> throw invalid("invalid msg_type " + msgType);
                };
        if (!valid) {
            throw invalid("invalid message content for msg_type " + msgType);
        }
    }

    /** The text of a text message; the title and texts of a post, one line per paragraph; else the content. */
    static String visibleText(String msgType, String content) {
        ObjectNode json;
        try {
            json = parse(content);
        } catch (ApiFailure e) {
            return content;
        }
        if (msgType.equals("text")) {
            return json.path("text").asText(content);
        }
        if (msgType.equals("post")) {
            List<String> lines = new ArrayList<>();
            for (JsonNode body : postBodies(json)) {
                if (body.path("title").isTextual()
                        && !body.path("title").asText().isEmpty()) {
                    lines.add(body.path("title").asText());
                }
                for (JsonNode paragraph : body.path("content")) {
                    StringBuilder line = new StringBuilder();
                    for (JsonNode element : paragraph) {
                        line.append(element.path("text").asText(""));
                    }
                    lines.add(line.toString());
                }
                break; // one language is what a user sees
            }
            return String.join("\n", lines);
        }
        return content;
    }

    /** A post is {@code {"zh_cn":{"title","content":[[...]]},...}} or, unkeyed, {@code {"title","content"}}. */
    private static List<JsonNode> postBodies(ObjectNode json) {
        List<JsonNode> bodies = new ArrayList<>();
        if (json.path("content").isArray()) {
            bodies.add(json);
        }
        json.fields().forEachRemaining(entry -> {
            if (entry.getValue().isObject() && entry.getValue().path("content").isArray()) {
                bodies.add(entry.getValue());
            }
        });
        return bodies;
    }

    private static ObjectNode parse(String content) {
        try {
            JsonNode node = HttpCall.JSON.readTree(content);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (Exception e) {
            // not JSON: same answer as not an object
        }
        throw invalid("content is not a JSON object string");
    }

    private static ApiFailure invalid(String why) {
        return ApiFailure.of(400, 230001, "Your request contains an invalid request parameter, ext=" + why);
    }
}
