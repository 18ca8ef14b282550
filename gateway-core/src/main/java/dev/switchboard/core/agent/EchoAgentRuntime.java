package dev.switchboard.core.agent;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.agent.AgentRequest;
import dev.switchboard.spi.agent.AgentResult;
import dev.switchboard.spi.agent.AgentRun;
import dev.switchboard.spi.agent.AgentRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded default agent: answers with the text it got, so the whole reply loop runs with no
 * external service. The reply streams as up to three deltas (split at spaces) so that clients of the
 * delta stream see more than one chunk. It finishes inside {@link #run}.
 */
public final class EchoAgentRuntime implements AgentRuntime {
    public static final String ID = "echo";

    private static final int MAX_DELTAS = 3;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AgentRun run(AgentRequest request) {
        requireNonNull(request, "request is null");
        long start = System.nanoTime();
        for (String delta : split(request.text())) {
            request.onDelta().accept(delta);
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        return AgentRun.completed(
                request.runId(), new AgentResult(request.text(), "stop", durationMs, Optional.empty()));
    }

    /** Splits {@code text} into at most {@link #MAX_DELTAS} non-empty pieces at spaces; their concatenation is {@code text}. */
    static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        if (text.isEmpty()) {
            return pieces;
        }
        int target = Math.max(1, text.length() / MAX_DELTAS);
        int from = 0;
        while (from < text.length()) {
            if (pieces.size() == MAX_DELTAS - 1) {
                pieces.add(text.substring(from));
                break;
            }
            int space = text.indexOf(' ', Math.min(text.length(), from + target));
            int to = space < 0 ? text.length() : space;
            if (to <= from) {
                to = text.length();
            }
            pieces.add(text.substring(from, to));
            from = to;
        }
        return pieces;
    }

    @Override
    public String toString() {
        return "EchoAgentRuntime";
    }
}
