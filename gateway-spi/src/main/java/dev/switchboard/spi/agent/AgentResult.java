package dev.switchboard.spi.agent;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The finished answer of an {@link AgentRun}.
 *
 * @param text the whole reply, equal to the concatenation of the streamed deltas
 * @param finishReason why the model stopped, in OpenAI's words ({@code stop}, {@code length},
 *     {@code content_filter}, ...); {@code stop} when the runtime has no such notion
 * @param durationMs wall time from {@link AgentRuntime#run} to the end of the reply, retries included
 * @param usage token counts, when the provider reported them
 */
public record AgentResult(String text, String finishReason, long durationMs, Optional<Usage> usage) {
    /**
     * Token counts as the provider reported them.
     *
     * @param promptTokens tokens of the request
     * @param completionTokens tokens of the reply
     * @param totalTokens both together
     */
    public record Usage(long promptTokens, long completionTokens, long totalTokens) {}

    /**
     * Checks the parts are present.
     *
     * @param text the whole reply
     * @param finishReason why the model stopped
     * @param durationMs wall time of the run
     * @param usage token counts, or empty
     * @throws NullPointerException when a part is null
     */
    public AgentResult {
        requireNonNull(text, "text is null");
        requireNonNull(finishReason, "finishReason is null");
        requireNonNull(usage, "usage is null");
    }

    /**
     * The result without its text, fit for logs.
     *
     * @return the text's length, finish reason, duration and tokens
     */
    @Override
    public String toString() {
        // message bodies stay out of logs (CONVENTIONS: never log message bodies at INFO)
        return "AgentResult[" + text.length() + " chars, " + finishReason + ", " + durationMs + " ms"
                + usage.map(u -> ", " + u.totalTokens() + " tokens").orElse("") + "]";
    }
}
