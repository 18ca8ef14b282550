package dev.switchboard.core.http.openai.internal;

import static dev.switchboard.core.http.openai.internal.RequestFields.Unsupported.always;
import static dev.switchboard.core.http.openai.internal.RequestFields.Unsupported.unless;
import static java.util.Map.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.agent.ChatMessage;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code POST /v1/responses} body read as one turn: {@code input} as a string (the user's text)
 * or an array of messages ({@code {"role","content"}}, optionally {@code "type":"message"}, content
 * a string or {@code input_text}/{@code output_text} parts). {@code instructions} is read and
 * dropped like a system message. Conversation state on OpenAI's side ({@code previous_response_id},
 * {@code conversation}), tools, files, images and structured output are refused.
 */
final class ResponsesRequest {
    private static final String ROLES = "system, developer, user or assistant";
    private static final String TEXT_ONLY =
            "\"input_text\" or \"output_text\"; images, audio and files are not supported";
    private static final String SESSIONS =
            "none: continue a conversation with the user field or the x-switchboard-session header";

    static final Map<String, RequestFields.Unsupported> UNSUPPORTED = Map.ofEntries(
            entry("tools", unless(RequestFields::isEmptyArray, "no tools: the gateway's agent calls no client tools")),
            entry(
                    "tool_choice",
                    unless(
                            value -> value.asText().equals("none")
                                    || value.asText().equals("auto"),
                            "\"none\" or \"auto\"")),
            entry("previous_response_id", always(SESSIONS)),
            entry("conversation", always(SESSIONS)),
            entry("prompt", always("no prompt templates")),
            entry("background", unless(value -> value.isBoolean() && !value.asBoolean(), "false")),
            entry("top_logprobs", unless(value -> value.asInt(-1) == 0, "0: log probabilities are not reported")),
            entry(
                    "text",
                    unless(
                            value -> value.path("format").isMissingNode()
                                    || value.path("format")
                                            .path("type")
                                            .asText()
                                            .equals("text"),
                            "{\"format\":{\"type\":\"text\"}}: structured output is not supported")));

    private static final Set<String> KNOWN = known(
            "model",
            "input",
            "instructions",
            "stream",
            "stream_options",
            "user",
            "max_output_tokens",
            "metadata",
            "parallel_tool_calls",
            "prompt_cache_key",
            "prompt_cache_retention",
            "reasoning",
            "safety_identifier",
            "service_tier",
            "store",
            "temperature",
            "top_p",
            "truncation",
            "include",
            "max_tool_calls",
            "context_management");

    private ResponsesRequest() {}

    static TurnInput parse(String body) {
        JsonNode request = RequestFields.object(body);
        RequestFields.onlyKnown(request, KNOWN);
        RequestFields.unsupported(request, UNSUPPORTED);
        RequestFields.requiredText(request, "model");
        RequestFields.optionalText(request, "instructions");
        boolean stream = RequestFields.flag(request, "stream");
        Optional<String> user = RequestFields.optionalText(request, "user");
        JsonNode input = request.get("input");
        if (input == null || input.isNull()) {
            throw OpenAiException.invalid("input", "input: missing (expected: a string or an array of messages)");
        }
        Conversation conversation = new Conversation("input");
        if (input.isTextual()) {
            conversation.add(new Conversation.Message(ChatMessage.Role.USER, input.asText(), "input"));
        } else if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                item(input.get(i), "input[" + i + "]").ifPresent(conversation::add);
            }
        } else {
            throw OpenAiException.invalid(
                    "input", "input: " + RequestFields.shown(input) + " (expected: a string or an array of messages)");
        }
        return conversation.turn(stream, user);
    }

    private static Optional<Conversation.Message> item(JsonNode item, String path) {
        if (!item.isObject()) {
            throw OpenAiException.invalid(
                    path, path + ": " + RequestFields.shown(item) + " (expected: a message with role and content)");
        }
        Optional<String> type = RequestFields.textAt(item.get("type"), path + ".type");
        if (type.isPresent() && !type.get().equals("message")) {
            throw OpenAiException.invalid(
                    path + ".type",
                    path + ".type: \"" + type.get()
                            + "\" (expected: \"message\"; tool calls and other items are not supported)");
        }
        String rolePath = path + ".role";
        String roleName = RequestFields.textAt(item.get("role"), rolePath)
                .orElseThrow(() -> OpenAiException.invalid(rolePath, rolePath + ": missing (expected: " + ROLES + ")"));
        Optional<ChatMessage.Role> role = Conversation.role(roleName, rolePath, ROLES);
        String text = content(item.get("content"), path + ".content");
        return role.map(value -> new Conversation.Message(value, text, path));
    }

    private static String content(JsonNode content, String path) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content == null || !content.isArray()) {
            throw OpenAiException.invalid(
                    path,
                    path + ": " + (content == null ? "missing" : RequestFields.shown(content))
                            + " (expected: a string or an array of input_text parts)");
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            text.append(ContentParts.text(
                    content.get(j), path + "[" + j + "]", Set.of("input_text", "output_text"), TEXT_ONLY));
        }
        return text.toString();
    }

    private static Set<String> known(String... read) {
        Set<String> known = new HashSet<>(Set.of(read));
        known.addAll(UNSUPPORTED.keySet());
        return Set.copyOf(known);
    }
}
