package dev.switchboard.spi.agent;

import java.util.concurrent.CompletableFuture;

/**
 * A run in progress, returned at once by {@link AgentRuntime#run}. Deltas go to the request's
 * {@link AgentRequest#onDelta() listener} while it runs. Implemented by the runtime; thread-safe: the
 * gateway may {@link #abort()} from any thread while the run's own thread delivers deltas.
 */
public interface AgentRun {
    /**
     * The request's run id.
     *
     * @return {@link AgentRequest#runId()}
     */
    String runId();

    /**
     * Completes with the reply, or exceptionally with an {@link AgentException} (after an {@link
     * #abort()}, one of kind {@link AgentException.Kind#ABORTED}).
     *
     * @return the run's outcome; the same future on every call
     */
    CompletableFuture<AgentResult> result();

    /**
     * Stops the run: cancels the provider call and any pending retry, and completes {@link #result()}
     * exceptionally at once. No delta is delivered after this returns. Idempotent; does nothing once
     * the run has finished.
     */
    void abort();

    /**
     * A run that has already finished with {@code result}, for runtimes that answer without waiting.
     *
     * @param runId the request's run id
     * @param result the finished answer
     * @return a run whose future is already complete
     */
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
