package dev.switchboard.spi.agent;

import java.util.concurrent.CompletableFuture;

/**
 * A run in progress, returned at once by {@link AgentRuntime#run}. Deltas go to the request's
 * {@link AgentRequest#onDelta() listener} while it runs.
 */
public interface AgentRun {
    /** The request's run id. */
    String runId();

    /**
     * Completes with the reply, or exceptionally with an {@link AgentException} (after an {@link
     * #abort()}, one of kind {@link AgentException.Kind#ABORTED}).
     */
    CompletableFuture<AgentResult> result();

    /**
     * Stops the run: cancels the provider call and any pending retry, and completes {@link #result()}
     * exceptionally at once. No delta is delivered after this returns. Idempotent; does nothing once
     * the run has finished.
     */
    void abort();

    /** A run that has already finished with {@code result}. */
    static AgentRun completed(String runId, AgentResult result) {
        CompletableFuture<AgentResult> future = CompletableFuture.completedFuture(result);
        return new AgentRun() {
            @Override
            public String runId() {
                return runId;
            }

            @Override
            public CompletableFuture<AgentResult> result() {
                return future;
            }

            @Override
            public void abort() {}
        };
    }
}
