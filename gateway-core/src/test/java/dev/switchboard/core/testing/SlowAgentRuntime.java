package dev.switchboard.core.testing;

import dev.switchboard.spi.agent.AgentException;
import dev.switchboard.spi.agent.AgentRequest;
import dev.switchboard.spi.agent.AgentResult;
import dev.switchboard.spi.agent.AgentRun;
import dev.switchboard.spi.agent.AgentRuntime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real agent runtime that answers like echo, but only when the test releases it: while held, runs
 * stay in flight, as a slow provider's would. Abort ends a run with {@code ABORTED}, like the SPI says.
 */
public final class SlowAgentRuntime implements AgentRuntime {
    public final List<AgentRequest> requests = new CopyOnWriteArrayList<>();
    public final AtomicInteger aborted = new AtomicInteger();
    private final List<SlowRun> held = new CopyOnWriteArrayList<>();
    private volatile boolean holding = true;

    @Override
    public String id() {
        return "slow";
    }

    @Override
    public AgentRun run(AgentRequest request) {
        requests.add(request);
        SlowRun run = new SlowRun(request);
        if (holding) {
            held.add(run);
        } else {
            run.answer();
        }
        return run;
    }

    /** Answers every held run and stops holding new ones. */
    public void releaseAll() {
        holding = false;
        for (SlowRun run : held) {
            run.answer();
        }
        held.clear();
    }

    /** Holds new runs again until the next {@link #releaseAll()}. */
    public void hold() {
        holding = true;
    }

    private final class SlowRun implements AgentRun {
        private final AgentRequest request;
        private final CompletableFuture<AgentResult> result = new CompletableFuture<>();

        SlowRun(AgentRequest request) {
            this.request = request;
        }

        synchronized void answer() {
            if (result.isDone()) {
                return;
            }
            request.onDelta().accept(request.text());
            result.complete(new AgentResult(request.text(), "stop", 1, Optional.empty()));
        }

        @Override
        public String runId() {
            return request.runId();
        }

        @Override
        public CompletableFuture<AgentResult> result() {
            return result;
        }

        @Override
        public synchronized void abort() {
            if (result.completeExceptionally(new AgentException(AgentException.Kind.ABORTED, false, "aborted"))) {
                aborted.incrementAndGet();
            }
        }
    }
}
