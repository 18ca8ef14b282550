package dev.switchboard.core.http.openai.internal;

import dev.switchboard.core.routing.internal.ProtocolRuns;
import dev.switchboard.protocol.RunStatus;

/**
 * The error a run that did not answer is reported as. A stopping gateway is 503 (a client may retry
 * against the restarted one); an agent failure is 500 with the user-facing apology and its reference
 * id, and {@code x-should-retry: false}: the agent has retried what it could, and a client's retry
 * would run the turn again; an aborted run ({@code chat.abort}) likewise.
 */
final class RunFailures {
    private RunFailures() {}

    static OpenAiError of(ProtocolRuns.RunResult result) {
        if (result.status() == RunStatus.ABORTED) {
            return OpenAiError.of(500, OpenAiError.SERVER_ERROR, "run_aborted", "the run was aborted (chat.abort)")
                    .withRetry(false);
        }
        if (result.text().equals(ProtocolRuns.STOPPING)) {
            return OpenAiError.of(503, OpenAiError.SERVER_ERROR, "gateway_stopping", result.text());
        }
        return OpenAiError.of(500, OpenAiError.SERVER_ERROR, "agent_failed", result.text())
                .withRetry(false);
    }
}
