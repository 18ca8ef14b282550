package dev.switchboard.core.routing.internal;

/**
 * Where the reply loop reports how long its steps took (the gateway's {@code /metrics}). Called on
 * the loop's threads once per agent run and per delivered reply, so an implementation must be cheap
 * and must not block.
 */
public interface LoopTimings {
    /** Reports nothing: for loops run without metrics (tests, embedders' parts). */
    LoopTimings NONE = new LoopTimings() {
        @Override
        public void agentRun(long nanos, boolean ok) {}

        @Override
        public void replyDelivered(long nanos) {}
    };

    /**
     * An agent run finished: {@code nanos} from the run's start to its final result.
     *
     * @param ok false when it failed (the user got an apology) or timed out; aborted runs are not reported
     */
    void agentRun(long nanos, boolean ok);

    /** A platform message's reply was accepted by its platform, {@code nanos} after the message was accepted. */
    void replyDelivered(long nanos);
}
