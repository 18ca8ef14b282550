package dev.switchboard.core.http.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Chat completions as OpenAI spells them: one {@code chat.completion} object, or {@code
 * chat.completion.chunk}s with {@code delta.content}, a last chunk with {@code finish_reason}, then
 * {@code data: [DONE]}. A failed stream ends with one {@code {"error":{...}}} chunk and no {@code
 * [DONE]} (the official clients raise it as an {@code APIError}).
 */
final class ChatCompletionFormat implements ReplyFormat {
    private final String id;
    private final String model;
    private final long created;

    /** @param created epoch seconds */
    ChatCompletionFormat(String runId, String model, long created) {
        this.id = "chatcmpl-" + runId;
        this.model = model;
        this.created = created;
    }

    @Override
    public JsonNode whole(String text) {
        ObjectNode completion = header("chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message")
                .put("role", "assistant")
                .put("content", text)
                .putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        return completion;
    }

    @Override
    public List<SseEvent> opening() {
        ObjectNode chunk = chunk(null);
        delta(chunk).put("role", "assistant").put("content", "");
        return List.of(SseEvent.data(chunk.toString()));
    }

    @Override
    public SseEvent delta(String text) {
        ObjectNode chunk = chunk(null);
        delta(chunk).put("content", text);
        return SseEvent.data(chunk.toString());
    }

    @Override
    public List<SseEvent> closing(String text) {
        return List.of(SseEvent.data(chunk("stop").toString()), SseEvent.DONE);
    }

    @Override
    public List<SseEvent> failure(OpenAiError error, String partial) {
        return List.of(SseEvent.data(error.toJson().toString()));
    }

    private ObjectNode header(String object) {
        ObjectNode node = OpenAiJson.object();
        node.put("id", id);
        node.put("object", object);
        node.put("created", created);
        node.put("model", model);
        node.putNull("system_fingerprint");
        return node;
    }

    private ObjectNode chunk(@Nullable String finishReason) {
        ObjectNode chunk = header("chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return chunk;
    }

    private static ObjectNode delta(ObjectNode chunk) {
        return (ObjectNode) chunk.path("choices").path(0).path("delta");
    }
}
