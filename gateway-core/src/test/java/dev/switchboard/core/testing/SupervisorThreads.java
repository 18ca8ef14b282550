package dev.switchboard.core.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What an account's supervisor has scheduled, read from its lifecycle thread ({@code channel-<channel>-<account>},
 * a one-thread {@code ScheduledThreadPoolExecutor}). A pending restart parks that thread with a timeout until the
 * restart is due; with nothing scheduled it parks without one. So "it will not restart" is a state the test can
 * wait for, not a pause after which nothing happened. gateway-testkit has the same check for other modules.
 */
public final class SupervisorThreads {
    private SupervisorThreads() {}

    /** Waits until the account's supervisor is idle with nothing scheduled (no restart pending). */
    public static void awaitNothingScheduled(String channel, String account, Duration wait) {
        String name = "channel-" + channel + "-" + account;
        await("the supervisor of " + channel + "." + account + " has nothing scheduled")
                .atMost(wait)
                .until(() -> idle(name));
    }

    /** The thread exists and is idle; so is any namesake a gateway closed earlier in this JVM has left. */
    private static boolean idle(String name) {
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name))
                .toList();
        return !threads.isEmpty() && threads.stream().allMatch(SupervisorThreads::idleWithEmptyQueue);
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
