package dev.switchboard.spi.agent;

/**
 * Answers a user's message: the agent SPI (SPEC §6). The gateway calls {@link #run} once per
 * inbound message, serially per session and in parallel across sessions, so implementations must be
 * thread-safe. Built in: {@code echo} (answers with the text it got) and {@code openai} (any
 * OpenAI-compatible {@code /v1/chat/completions} with SSE streaming).
 *
 * <p>{@link #run} must not block on the provider: it starts the work and returns a handle whose
 * {@link AgentRun#result()} completes later. Failures complete that future with an {@link
 * AgentException}; {@code run} itself throws only for a request it cannot accept at all.
 */
public interface AgentRuntime extends AutoCloseable {
    /**
     * The runtime's id as written in config.
     *
     * @return e.g. {@code echo}, {@code openai}
     */
    String id();

    /**
     * Starts answering {@code request} and returns at once; deltas go to {@link AgentRequest#onDelta()}.
     *
     * @param request the question, with the session's history
     * @return the run in progress
     * @throws RuntimeException only for a request the runtime cannot accept at all
     */
    AgentRun run(AgentRequest request);

    /** Aborts runs in flight and releases threads. Idempotent. */
    @Override
    default void close() {}
}
