package dev.switchboard.channel.feishu.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.feishu.internal.MessageEvents.MalformedException;
import dev.switchboard.channel.feishu.internal.MessageEvents.Mentions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Flattens a rich-text {@code post} message to plain text: the title, then one line per paragraph. Events carry
 * the post as {@code {"title","content":[[element,...],...]}}; a post keyed by language ({@code
 * {"zh_cn":{...}}}) is read in its first language, the one a user sees.
 */
final class PostText {
    private PostText() {}

    static String flatten(JsonNode content, Mentions mentions) throws MalformedException {
        JsonNode post = body(content);
        List<String> lines = new ArrayList<>();
        String title = post.path("title").asText("").strip();
        if (!title.isEmpty()) {
            lines.add(title);
        }
        for (JsonNode paragraph : post.path("content")) {
            StringBuilder line = new StringBuilder();
            for (JsonNode element : paragraph) {
                line.append(element(element, mentions));
            }
            String text = line.toString().replaceAll("[ \\t]{2,}", " ").strip();
            if (!text.isEmpty()) {
                lines.add(text);
            }
        }
        return lines.isEmpty() ? "[post]" : String.join("\n", lines);
    }

    private static JsonNode body(JsonNode content) throws MalformedException {
        if (content.path("content").isArray()) {
            return content;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = content.fields(); fields.hasNext(); ) {
            JsonNode value = fields.next().getValue();
            if (value.isObject() && value.path("content").isArray()) {
                return value;
            }
        }
        throw new MalformedException("a post message's content has no paragraphs (expected: {\"title\":...,"
                + " \"content\":[[{\"tag\":\"text\",\"text\":...}]]} encoded as a string)");
    }

    private static String element(JsonNode element, Mentions mentions) {
        String tag = element.path("tag").asText("");
        return switch (tag) {
            case "text", "a", "code_block", "md" -> element.path("text").asText("");
            case "at" -> {
                String key = element.path("user_id").asText("");
                if (mentions.isBot(key)) {
                    yield "";
                }
                String name = element.path("user_name").asText("");
                yield name.isBlank() ? mentions.name(key) : "@" + name;
            }
            case "img" -> "[image]";
            case "media" -> "[video]";
            case "emotion" -> ":" + element.path("emoji_type").asText("emoji") + ":";
            case "hr" -> "";
            default -> element.path("text").asText("");
        };
    }
}
