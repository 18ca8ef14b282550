package dev.switchboard.core.routing.internal;

import dev.switchboard.spi.agent.AgentRun;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Lets a turn be aborted ({@code chat.abort}) while it waits on its lane or runs. A turn only
 * stores its result after {@link #commit()} won against {@link #abort()}, so an aborted turn stores
 * nothing, and a turn that is already storing is not aborted half-way.
 */
final class TurnControl {
    enum State {
        QUEUED,
        RUNNING,
        COMMITTING,
        ABORTED
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
    private volatile @Nullable AgentRun run;

    /** A control for a turn nobody aborts (a platform message's), already running. */
    static TurnControl started() {
        TurnControl control = new TurnControl();
        control.begin();
        return control;
    }

    /** The lane reached the turn; false when it was aborted while queued. */
    boolean begin() {
        return state.compareAndSet(State.QUEUED, State.RUNNING);
    }

    /** The turn's agent run started; aborts it at once when the turn was aborted meanwhile. */
    void attach(AgentRun agentRun) {
        run = agentRun;
        if (state.get() == State.ABORTED) {
            agentRun.abort();
        }
    }

    /** The turn is about to store its result; false when it was aborted first. */
    boolean commit() {
        return state.compareAndSet(State.RUNNING, State.COMMITTING);
    }

    /** Aborts a queued or running turn; false when it is already storing its result or was aborted. */
    boolean abort() {
        while (true) {
            State current = state.get();
            if (current != State.QUEUED && current != State.RUNNING) {
                return false;
            }
            if (state.compareAndSet(current, State.ABORTED)) {
                AgentRun agentRun = run;
                if (agentRun != null) {
                    agentRun.abort();
                }
                return true;
            }
        }
    }

    boolean aborted() {
        return state.get() == State.ABORTED;
    }
}
