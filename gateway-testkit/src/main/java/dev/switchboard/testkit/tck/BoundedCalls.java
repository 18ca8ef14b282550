package dev.switchboard.testkit.tck;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Runs each call into the channel on a thread of its own and waits at most a budget for it: a call that
 * blocks past it is recorded as a violation naming the call ({@code ChannelAdapter.close() did not return
 * within 15 s}) and abandoned, so the gateway (and the TCK run) goes on instead of hanging. The caller's
 * interrupt does not cut the wait short: the budget is the TCK's, not the gateway's.
 */
final class BoundedCalls {
    /** Name prefix of the threads calls run on; the thread leak check ignores them (a call that never
     * returns is reported as a violation instead). */
    static final String THREAD_PREFIX = "tck-call-";

    private final Duration budget;
    private final List<AssertionError> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    BoundedCalls(Duration budget) {
        this.budget = requireNonNull(budget, "budget is null");
    }

    Duration budget() {
        return budget;
    }

    /**
     * Runs {@code call}; returns its result, or throws what it threw. Past the budget, records the violation
     * and throws the {@link CallTimedOut} the caller turns into the answer the gateway expects.
     */
    <T> T call(String name, Supplier<T> call) {
        FutureTask<T> task = new FutureTask<>(call::get);
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Thread thread = new Thread(
                () -> {
                    if (mdc != null) {
                        MDC.setContextMap(mdc);
                    }
                    try {
                        task.run();
                    } finally {
                        inFlight.decrementAndGet();
                    }
                },
                THREAD_PREFIX + threads.incrementAndGet() + " " + name);
        thread.setDaemon(true);
        inFlight.incrementAndGet();
        thread.start();
        boolean interrupted = false;
        long deadline = System.nanoTime() + budget.toNanos();
        try {
            while (true) {
                try {
                    return task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // the gateway gave up on the call; the budget still decides
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                } catch (TimeoutException e) {
                    String violation = name + " did not return within " + budget.toSeconds() + " s (stuck at: "
                            + stack(thread) + ")";
                    violations.add(new AssertionError(violation));
                    thread.interrupt();
                    throw new CallTimedOut(violation);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@link #call} for a call without a result. */
    void run(String name, Runnable call) {
        call(name, () -> {
            call.run();
            return null;
        });
    }

    /** The first call that took longer than its budget, if any. */
    Optional<AssertionError> firstViolation() {
        return violations.stream().findFirst();
    }

    /** Throws the first violation, if any. */
    void assertNone() {
        Optional<AssertionError> violation = firstViolation();
        if (violation.isPresent()) {
            throw violation.get();
        }
    }

    /**
     * Waits until no call is in flight, or until {@code wait} passed: a call still running then has outlived
     * its budget and was recorded. The gateway may give up on a call before the budget ends (its own close
     * timeout); waiting here lets the TCK see the violation before it checks.
     */
    void awaitIdle(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline && violations.isEmpty()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static RuntimeException rethrow(@Nullable Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    private static String stack(Thread thread) {
        return Arrays.stream(thread.getStackTrace())
                .limit(8)
                .map(StackTraceElement::toString)
                .collect(Collectors.joining(" <- "));
    }

    /** A call past its budget, thrown to the gateway in place of the call's answer. */
    static final class CallTimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String violation;

        CallTimedOut(String violation) {
            super(violation);
            this.violation = violation;
        }

        /** What the violation says: the call and how long it was given. */
        String violation() {
            return violation;
        }
    }
}
