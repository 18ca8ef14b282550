package dev.switchboard.core.http.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Responses as OpenAI's Responses API spells them: one {@code response} object whose {@code
 * output[0]} is an assistant message with one {@code output_text} part, or its typed event stream
 * ({@code response.created}, {@code response.in_progress}, {@code response.output_item.added},
 * {@code response.content_part.added}, {@code response.output_text.delta}..., {@code
 * response.output_text.done}, {@code response.content_part.done}, {@code
 * response.output_item.done}, {@code response.completed}), numbered by {@code sequence_number}
 * from 0. A failed stream ends with {@code response.failed} carrying the error. The stream has no
 * {@code [DONE]}: the Responses API ends it with its last event.
 */
final class ResponseFormat implements ReplyFormat {
    private final String id;
    private final String itemId;
    private final String model;
    private final long createdAt;
    private final LongSupplier now;
    private long sequence;

    /**
     * @param createdAt epoch seconds
     * @param now epoch seconds, for {@code completed_at}
     */
    ResponseFormat(String runId, String model, long createdAt, LongSupplier now) {
        String hex = runId.replace("-", "");
        this.id = "resp_" + hex;
        this.itemId = "msg_" + hex;
        this.model = model;
        this.createdAt = createdAt;
        this.now = now;
    }

    @Override
    public JsonNode whole(String text) {
        return response("completed", List.of(message("completed", text)), null);
    }

    @Override
    public List<SseEvent> opening() {
        // built in order: each event takes the next sequence number
        SseEvent created = withResponse(event("response.created"), response("in_progress", List.of(), null));
        SseEvent inProgress = withResponse(event("response.in_progress"), response("in_progress", List.of(), null));
        ObjectNode added = event("response.output_item.added").put("output_index", 0);
        added.set("item", message("in_progress", null));
        ObjectNode part = event("response.content_part.added");
        at(part).set("part", part(""));
        return List.of(created, inProgress, sse(added), sse(part));
    }

    @Override
    public SseEvent delta(String text) {
        ObjectNode delta = at(event("response.output_text.delta")).put("delta", text);
        delta.putArray("logprobs");
        return sse(delta);
    }

    @Override
    public List<SseEvent> closing(String text) {
        ObjectNode textDone = at(event("response.output_text.done")).put("text", text);
        textDone.putArray("logprobs");
        ObjectNode partDone = event("response.content_part.done");
        at(partDone).set("part", part(text));
        ObjectNode itemDone = event("response.output_item.done").put("output_index", 0);
        ObjectNode item = message("completed", text);
        itemDone.set("item", item);
        SseEvent completed = withResponse(event("response.completed"), response("completed", List.of(item), null));
        return List.of(sse(textDone), sse(partDone), sse(itemDone), completed);
    }

    @Override
    public List<SseEvent> failure(OpenAiError error, String partial) {
        ObjectNode reason = OpenAiJson.object().put("code", "server_error").put("message", error.message());
        List<ObjectNode> output = partial.isEmpty() ? List.of() : List.of(message("incomplete", partial));
        return List.of(withResponse(event("response.failed"), response("failed", output, reason)));
    }

    private ObjectNode event(String type) {
        return OpenAiJson.object().put("type", type).put("sequence_number", sequence++);
    }

    /** Where an event of the message's text is: output 0, content part 0. */
    private ObjectNode at(ObjectNode event) {
        return event.put("item_id", itemId).put("output_index", 0).put("content_index", 0);
    }

    private static SseEvent withResponse(ObjectNode event, ObjectNode response) {
        event.set("response", response);
        return sse(event);
    }

    private static SseEvent sse(ObjectNode event) {
        return SseEvent.named(event.path("type").asText(), event.toString());
    }

    private ObjectNode response(String status, List<ObjectNode> output, @Nullable ObjectNode error) {
        ObjectNode response = OpenAiJson.object();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", createdAt);
        response.put("status", status);
        if (status.equals("completed")) {
            response.put("completed_at", now.getAsLong());
        } else {
            response.putNull("completed_at");
        }
        response.set("error", error);
        response.putNull("incomplete_details");
        response.putNull("instructions");
        response.putNull("max_output_tokens");
        response.put("model", model);
        ArrayNode items = response.putArray("output");
        items.addAll(new ArrayList<>(output));
        response.put("parallel_tool_calls", false);
        response.putNull("previous_response_id");
        response.putNull("reasoning");
        response.putNull("temperature");
        response.putObject("text").putObject("format").put("type", "text");
        response.put("tool_choice", "none");
        response.putArray("tools");
        response.putNull("top_p");
        response.put("truncation", "disabled");
        response.putNull("usage");
        response.putNull("user");
        response.putObject("metadata");
        return response;
    }

    /** The assistant message; {@code text} null: not started, no content part yet. */
    private ObjectNode message(String status, @Nullable String text) {
        ObjectNode message = OpenAiJson.object();
        message.put("id", itemId);
        message.put("type", "message");
        message.put("status", status);
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (text != null) {
            content.add(part(text));
        }
        return message;
    }

    private static ObjectNode part(String text) {
        ObjectNode part = OpenAiJson.object().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }
}
