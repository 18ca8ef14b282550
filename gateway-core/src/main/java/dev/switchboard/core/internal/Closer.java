package dev.switchboard.core.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what was started, in reverse order, every step whatever the others did (Airlift's closer,
 * with a deadline). Steps are registered as their resource starts, so a start that fails half-way
 * closes exactly what it got to.
 *
 * <p>{@link #close} runs the steps on a thread of their own and waits at most the deadline: a step
 * that hangs (a channel that never closes, a stalled disk) cannot keep the caller, and so the
 * process, alive. Past the deadline the {@linkplain #registerEssential essential} steps not yet run —
 * those the next owner needs (the port, the lock) — run on the caller's thread, and the outcome names
 * the step that hung and those never started; the abandoned thread (interrupted) takes no further
 * step. Each step runs at most once.
 */
public final class Closer {
    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    /** A close action; it may throw anything. */
    @FunctionalInterface
    public interface Step {
        void close() throws Exception;
    }

    /**
     * What {@link #close} did.
     *
     * @param failed steps that threw (each logged with its exception)
     * @param hung the step still running at the deadline
     * @param notStarted steps the deadline left unstarted (essential ones excepted: they ran anyway)
     */
    public record Outcome(List<String> failed, Optional<String> hung, List<String> notStarted) {
        public Outcome {
            failed = List.copyOf(failed);
            requireNonNull(hung, "hung is null");
            notStarted = List.copyOf(notStarted);
        }

        /** Every step ran and returned normally. */
        public boolean clean() {
            return failed.isEmpty() && hung.isEmpty() && notStarted.isEmpty();
        }

        /** One line for the log and {@code owner.json}: what failed, what hung, what never started. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!failed.isEmpty()) {
                parts.add("failed: " + String.join(", ", failed));
            }
            hung.ifPresent(step -> parts.add("did not finish: " + step));
            if (!notStarted.isEmpty()) {
                parts.add("not started: " + String.join(", ", notStarted));
            }
            return parts.isEmpty() ? "every step closed" : String.join("; ", parts);
        }
    }

    private record Entry(String name, Step step, boolean essential) {}

    private final Deque<Entry> steps = new ArrayDeque<>();
    private final List<String> failed = new ArrayList<>();
    private @Nullable String running;
    private boolean closing;
    /** The deadline passed: the worker takes no further step (it may be interrupted, or still stuck). */
    private boolean abandoned;

    /** Registers a step; steps close newest first. */
    public synchronized void register(String name, Step step) {
        add(new Entry(requireNonNull(name, "name is null"), requireNonNull(step, "step is null"), false));
    }

    /**
     * Registers a step that runs even when an earlier step hangs past the deadline. It may then run
     * while that step is still stuck on another thread, so it must be safe to (idempotent,
     * thread-safe).
     */
    public synchronized void registerEssential(String name, Step step) {
        add(new Entry(requireNonNull(name, "name is null"), requireNonNull(step, "step is null"), true));
    }

    private void add(Entry entry) {
        if (closing) {
            throw new IllegalStateException("closing: cannot register " + entry.name());
        }
        steps.push(entry);
    }

    /**
     * Runs every step, newest first, on a thread named {@code threadName}, waiting at most {@code
     * deadline}. Never throws: failures are logged and named in the outcome. Only the first call
     * closes anything.
     */
    public Outcome close(Duration deadline, String threadName) {
        requireNonNull(deadline, "deadline is null");
        synchronized (this) {
            if (closing) {
                return new Outcome(List.of(), Optional.empty(), List.of());
            }
            closing = true;
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread worker = new Thread(
                () -> {
                    try {
                        runSteps(false);
                    } finally {
                        done.countDown();
                    }
                },
                threadName);
        worker.setDaemon(true);
        worker.start();
        boolean finished;
        try {
            finished = done.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (finished) {
            synchronized (this) {
                return new Outcome(failed, Optional.empty(), List.of());
            }
        }
        String hung;
        List<String> notStarted = new ArrayList<>();
        synchronized (this) {
            abandoned = true;
            hung = running == null ? "(between steps)" : running;
            steps.stream().filter(entry -> !entry.essential()).forEach(entry -> notStarted.add(entry.name()));
        }
        log.warn(
                "stopping did not finish within {} ms: {} is still running; closing what the next start needs now",
                deadline.toMillis(),
                hung);
        worker.interrupt();
        runSteps(true);
        synchronized (this) {
            return new Outcome(failed, Optional.of(hung), notStarted);
        }
    }

    /** Takes one step at a time off the stack, so the worker and the deadline path never run one twice. */
    private void runSteps(boolean essentialOnly) {
        while (true) {
            Entry entry;
            synchronized (this) {
                if (!essentialOnly && abandoned) {
                    return;
                }
                entry = essentialOnly ? takeEssential() : steps.poll();
                if (!essentialOnly) {
                    running = entry == null ? null : entry.name();
                }
            }
            if (entry == null) {
                return;
            }
            try {
                entry.step().close();
            } catch (Exception | Error e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("stopping: {} failed: {}", entry.name(), Failures.describe(e), e);
                synchronized (this) {
                    failed.add(entry.name());
                }
            }
        }
    }

    private @Nullable Entry takeEssential() {
        for (Iterator<Entry> it = steps.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.essential()) {
                it.remove();
                return entry;
            }
        }
        return null;
    }
}
