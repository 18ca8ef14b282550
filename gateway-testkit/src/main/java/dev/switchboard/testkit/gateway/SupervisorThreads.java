package dev.switchboard.testkit.gateway;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What the gateway's supervisor of one account has scheduled, read from its lifecycle thread ({@code
 * channel-<channel>-<account>}, a one-thread {@code ScheduledThreadPoolExecutor}). A pending restart parks that
 * thread with a timeout until the restart is due; with nothing scheduled it parks without one. So "the account
 * will not be restarted" is a state a test can wait for, not a pause after which nothing happened.
 *
 * <p>gateway-core's tests carry the same check (they cannot depend on this module).
 */
public final class SupervisorThreads {
    private SupervisorThreads() {}

    /** Waits until the account's supervisor is idle with nothing scheduled (no restart pending). */
    public static void awaitNothingScheduled(String channel, String account, Duration wait) {
        String name = "channel-" + channel + "-" + account;
        long deadline = System.nanoTime() + wait.toNanos();
        while (!idle(name)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the supervisor of " + channel + "." + account
                        + " still has something scheduled (or is busy) after " + wait.toSeconds() + " s: "
                        + threads(name).stream()
                                .map(t -> Arrays.toString(t.getStackTrace()))
                                .toList());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** The thread exists and is idle; so is any namesake a gateway closed earlier in this JVM has left. */
    private static boolean idle(String name) {
        List<Thread> threads = threads(name);
        return !threads.isEmpty() && threads.stream().allMatch(SupervisorThreads::idleWithEmptyQueue);
    }

    private static List<Thread> threads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name))
                .toList();
    }

    /** Parked in the executor's queue by an untimed {@code await()} (a delayed task makes it {@code awaitNanos}). */
    private static boolean idleWithEmptyQueue(Thread thread) {
        List<StackTraceElement> frames = Arrays.asList(thread.getStackTrace()); // one consistent snapshot
        for (int i = 1; i < frames.size(); i++) {
            StackTraceElement frame = frames.get(i);
            if (frame.getClassName().endsWith("ScheduledThreadPoolExecutor$DelayedWorkQueue")
                    && frame.getMethodName().equals("take")) {
                return frames.get(i - 1).getMethodName().equals("await");
            }
        }
        return false;
    }
}
