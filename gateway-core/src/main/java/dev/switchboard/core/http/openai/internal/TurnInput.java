package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.agent.ChatMessage;
import java.util.List;
import java.util.Optional;

/**
 * What a chat completion or a response request asks for, in the gateway's terms: one turn.
 *
 * @param user the {@code user} field: names the session when no {@code x-switchboard-session} header does
 * @param text the last user message: the turn's text
 * @param earlier the user and assistant messages before it, oldest first (system messages dropped):
 *     the context of a fresh session only; a named session has its stored history
 */
record TurnInput(boolean stream, Optional<String> user, String text, List<ChatMessage> earlier) {
    TurnInput {
        requireNonNull(user, "user is null");
        requireNonNull(text, "text is null");
        earlier = List.copyOf(requireNonNull(earlier, "earlier is null"));
    }
}
