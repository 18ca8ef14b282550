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
 * A {@code POST /v1/chat/completions} body read as one turn. Sampling and bookkeeping fields
 * ({@code temperature}, {@code max_tokens}, {@code stop}, {@code metadata}, ...) are accepted and
 * ignored: the operator's {@code [agent]} config decides how the agent answers. Features the agent
 * cannot honour (client tools, several choices, images, audio, structured output) are refused.
 */
final class ChatCompletionRequest {
    private static final String ROLES = "system, developer, user or assistant";
    private static final String TEXT_ONLY = "\"text\"; images, audio and files are not supported";

    static final Map<String, RequestFields.Unsupported> UNSUPPORTED = Map.ofEntries(
            entry("tools", unless(RequestFields::isEmptyArray, "no tools: the gateway's agent calls no client tools")),
            entry(
                    "functions",
                    unless(RequestFields::isEmptyArray, "no functions: the gateway's agent calls no client tools")),
            entry("function_call", unless(value -> value.asText().equals("none"), "\"none\"")),
            entry(
                    "tool_choice",
                    unless(
                            value -> value.asText().equals("none")
                                    || value.asText().equals("auto"),
                            "\"none\" or \"auto\"")),
            entry("n", unless(value -> value.isIntegralNumber() && value.asLong() == 1, "1: one choice per request")),
            entry("audio", always("no audio: the gateway answers text")),
            entry(
                    "modalities",
                    unless(
                            value -> value.isArray()
                                    && value.size() == 1
                                    && value.get(0).asText().equals("text"),
                            "[\"text\"]")),
            entry("prediction", always("no predicted output")),
            entry("web_search_options", always("no web search")),
            entry(
                    "logprobs",
                    unless(
                            value -> value.isBoolean() && !value.asBoolean(),
                            "false: log probabilities are not reported")),
            entry("top_logprobs", unless(value -> value.asInt(-1) == 0, "0: log probabilities are not reported")),
            entry(
                    "response_format",
                    unless(
                            value -> value.path("type").asText().equals("text"),
                            "{\"type\":\"text\"}: structured output is not supported")));

    /** Fields read, and fields accepted and ignored. */
    private static final Set<String> KNOWN = known(
            "model",
            "messages",
            "stream",
            "stream_options",
            "user",
            "frequency_penalty",
            "presence_penalty",
            "logit_bias",
            "max_tokens",
            "max_completion_tokens",
            "metadata",
            "prompt_cache_key",
            "prompt_cache_retention",
            "reasoning_effort",
            "safety_identifier",
            "seed",
            "service_tier",
            "stop",
            "store",
            "temperature",
            "top_p",
            "verbosity",
            "parallel_tool_calls");

    private ChatCompletionRequest() {}

    static TurnInput parse(String body) {
        JsonNode request = RequestFields.object(body);
        RequestFields.onlyKnown(request, KNOWN);
        RequestFields.unsupported(request, UNSUPPORTED);
        RequestFields.requiredText(request, "model");
        boolean stream = RequestFields.flag(request, "stream");
        Optional<String> user = RequestFields.optionalText(request, "user");
        JsonNode messages = request.get("messages");
        if (messages == null || messages.isNull()) {
            throw OpenAiException.invalid(
                    "messages", "messages: missing (expected: an array of messages, the last one the user's)");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw OpenAiException.invalid(
                    "messages",
                    "messages: " + RequestFields.shown(messages) + " (expected: a non-empty array of messages)");
        }
        Conversation conversation = new Conversation("messages");
        for (int i = 0; i < messages.size(); i++) {
            message(messages.get(i), "messages[" + i + "]").ifPresent(conversation::add);
        }
        return conversation.turn(stream, user);
    }

    private static Optional<Conversation.Message> message(JsonNode message, String path) {
        if (!message.isObject()) {
            throw OpenAiException.invalid(
                    path, path + ": " + RequestFields.shown(message) + " (expected: an object with role and content)");
        }
        String rolePath = path + ".role";
        String roleName = RequestFields.textAt(message.get("role"), rolePath)
                .orElseThrow(() -> OpenAiException.invalid(rolePath, rolePath + ": missing (expected: " + ROLES + ")"));
        Optional<ChatMessage.Role> role = Conversation.role(roleName, rolePath, ROLES);
        for (String toolField : new String[] {"tool_calls", "function_call"}) {
            JsonNode calls = message.get(toolField);
            if (calls != null && !calls.isNull() && !RequestFields.isEmptyArray(calls)) {
                throw OpenAiException.invalid(
                        path + "." + toolField,
                        path + "." + toolField + ": " + RequestFields.shown(calls)
                                + " (expected: none; tool calls are not supported)");
            }
        }
        String text = content(message.get("content"), path + ".content", role.orElse(ChatMessage.Role.SYSTEM));
        return role.map(value -> new Conversation.Message(value, text, path));
    }

    /** A message's text: a string, or an array of {@code {"type":"text","text":...}} parts joined. */
    private static String content(JsonNode content, String path, ChatMessage.Role role) {
        if (content == null || content.isNull()) {
            if (role == ChatMessage.Role.ASSISTANT) {
                return "";
            }
            throw OpenAiException.invalid(path, path + ": missing (expected: a string or an array of text parts)");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw OpenAiException.invalid(
                    path,
                    path + ": " + RequestFields.shown(content) + " (expected: a string or an array of text parts)");
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            text.append(ContentParts.text(content.get(j), path + "[" + j + "]", Set.of("text"), TEXT_ONLY));
        }
        return text.toString();
    }

    private static Set<String> known(String... read) {
        Set<String> known = new HashSet<>(Set.of(read));
        known.addAll(UNSUPPORTED.keySet());
        return Set.copyOf(known);
    }
}
