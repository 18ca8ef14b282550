package dev.switchboard.spi.agent;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One question for an {@link AgentRuntime}.
 *
 * @param runId identifies this run in logs and in the reply's deltas; unique per run
 * @param sessionKey the conversation, {@code <channel>:<account>:<conversation>[:<thread>]}
 * @param history earlier turns of the session, oldest first, without the new user text
 * @param text the new user text to answer
 * @param systemPrompt a system prompt for this run; when empty the runtime uses its configured one
 * @param onDelta receives the reply's text as it streams, in order, from the runtime's thread; the
 *     concatenation of every delta equals {@link AgentResult#text()}. It must not block for long.
 */
public record AgentRequest(
        String runId,
        String sessionKey,
        List<ChatMessage> history,
        String text,
        Optional<String> systemPrompt,
        Consumer<String> onDelta) {
    /**
     * Checks the parts are present and copies the history.
     *
     * @param runId identifies this run
     * @param sessionKey the conversation
     * @param history earlier turns, oldest first
     * @param text the new user text
     * @param systemPrompt a system prompt for this run, or empty
     * @param onDelta receives the reply's text as it streams
     * @throws NullPointerException when a part is null
     */
    public AgentRequest {
        requireNonNull(runId, "runId is null");
        requireNonNull(sessionKey, "sessionKey is null");
        history = List.copyOf(requireNonNull(history, "history is null"));
        requireNonNull(text, "text is null");
        requireNonNull(systemPrompt, "systemPrompt is null");
        requireNonNull(onDelta, "onDelta is null");
    }

    /**
     * A request with no history, the runtime's own system prompt, and no interest in deltas.
     *
     * @param runId identifies this run
     * @param sessionKey the conversation
     * @param text the user text to answer
     * @return the request
     */
    public static AgentRequest of(String runId, String sessionKey, String text) {
        return new AgentRequest(runId, sessionKey, List.of(), text, Optional.empty(), AgentRequest::ignoreDelta);
    }

    /**
     * This request with another history.
     *
     * @param newHistory earlier turns, oldest first
     * @return a copy with {@code newHistory}
     */
    public AgentRequest withHistory(List<ChatMessage> newHistory) {
        return new AgentRequest(runId, sessionKey, newHistory, text, systemPrompt, onDelta);
    }

    /**
     * This request with its own system prompt.
     *
     * @param prompt the system prompt for this run
     * @return a copy with {@code prompt}
     */
    public AgentRequest withSystemPrompt(String prompt) {
        return new AgentRequest(runId, sessionKey, history, text, Optional.of(prompt), onDelta);
    }

    /**
     * This request with another delta listener.
     *
     * @param listener receives the reply's text as it streams, from the runtime's thread
     * @return a copy with {@code listener}
     */
    public AgentRequest withOnDelta(Consumer<String> listener) {
        return new AgentRequest(runId, sessionKey, history, text, systemPrompt, listener);
    }

    private static void ignoreDelta(String delta) {}

    /**
     * The request without its texts, fit for logs.
     *
     * @return run, session, the number of turns and the text's length
     */
    @Override
    public String toString() {
        // message bodies stay out of logs (CONVENTIONS: never log message bodies at INFO)
        return "AgentRequest[run " + runId + ", session " + sessionKey + ", " + history.size() + " turns, "
                + text.length() + " chars]";
    }
}
