package dev.switchboard.testkit.openai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.spi.agent.ChatMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A request the {@link FakeOpenAiServer} received, recorded before it answered.
 *
 * @param method HTTP method
 * @param path request path, e.g. {@code /v1/chat/completions}
 * @param authorization the {@code Authorization} header as sent
 * @param body the raw request body
 * @param receivedAt when the server started handling it
 */
public record RecordedRequest(
        String method, String path, Optional<String> authorization, String body, Instant receivedAt) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public RecordedRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(authorization, "authorization is null");
        requireNonNull(body, "body is null");
        requireNonNull(receivedAt, "receivedAt is null");
    }

    /** The body as JSON; a missing node when it is not JSON. */
    public JsonNode json() {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The {@code messages} of a chat completion request, in order. */
    public List<ChatMessage> messages() {
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode message : json().path("messages")) {
            ChatMessage.Role role =
                    ChatMessage.Role.valueOf(message.path("role").asText("user").toUpperCase(Locale.ROOT));
            messages.add(new ChatMessage(role, message.path("content").asText("")));
        }
        return messages;
    }

    /** The requested {@code model}. */
    public String model() {
        return json().path("model").asText("");
    }

    /** Whether the request asked for a stream. */
    public boolean stream() {
        return json().path("stream").asBoolean(false);
    }

    /** The text of the last {@code user} message, or empty. */
    public String lastUserText() {
        List<ChatMessage> messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                return messages.get(i).content();
            }
        }
        return "";
    }
}
