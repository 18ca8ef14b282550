package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.agent.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The messages of a request, in order, turned into one turn: the last message must be the user's
 * (the text to answer); the user and assistant messages before it are the context a fresh session
 * starts with. System and developer messages are read (so their shape is checked) and dropped: the
 * gateway's agent answers with the operator's system prompt ({@code agent.openai.system_prompt}).
 */
final class Conversation {
    /** One message, with where it was in the request ({@code messages[2]}) for errors. */
    record Message(ChatMessage.Role role, String text, String path) {
        Message {
            requireNonNull(role, "role is null");
            requireNonNull(text, "text is null");
            requireNonNull(path, "path is null");
        }
    }

    private final String field;
    private final List<Message> messages = new ArrayList<>();

    /** @param field the request field the messages come from ({@code messages}, {@code input}) */
    Conversation(String field) {
        this.field = requireNonNull(field, "field is null");
    }

    Conversation add(Message message) {
        messages.add(requireNonNull(message, "message is null"));
        return this;
    }

    /** The role a request names, or a refusal naming the roles the API takes. */
    static Optional<ChatMessage.Role> role(String role, String path, String roles) {
        return switch (role) {
            case "user" -> Optional.of(ChatMessage.Role.USER);
            case "assistant" -> Optional.of(ChatMessage.Role.ASSISTANT);
            case "system", "developer" -> Optional.empty();
            case "tool", "function" -> throw OpenAiException.invalid(
                    path, path + ": \"" + role + "\" (expected: " + roles + "; tool calls are not supported)");
            default -> throw OpenAiException.invalid(path, path + ": \"" + role + "\" (expected: " + roles + ")");
        };
    }

    TurnInput turn(boolean stream, Optional<String> user) {
        if (messages.isEmpty()) {
            throw OpenAiException.invalid(
                    field, field + ": no user or assistant message (expected: at least one user message to answer)");
        }
        Message last = messages.get(messages.size() - 1);
        if (last.role() != ChatMessage.Role.USER) {
            throw OpenAiException.invalid(
                    last.path(),
                    last.path() + ": the last message is the assistant's (expected: a user message to answer)");
        }
        if (last.text().isBlank()) {
            throw OpenAiException.invalid(last.path(), last.path() + ": blank text (expected: the text to answer)");
        }
        List<ChatMessage> earlier = messages.subList(0, messages.size() - 1).stream()
                .map(message -> new ChatMessage(message.role(), message.text()))
                .toList();
        return new TurnInput(stream, user, last.text(), earlier);
    }
}
