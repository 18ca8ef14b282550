package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work serially per key and in parallel across keys (SPEC §6) on a fixed pool. Each key has
 * a FIFO queue; a key with work occupies at most one worker and runs one task per turn, then goes
 * to the back of the pool's queue, so a busy key never starves the others.
 */
public final class ConversationQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConversationQueue.class);

    private final ExecutorService pool;
    private final Map<String, Deque<Runnable>> queues = new HashMap<>();
    private boolean closed;

    public ConversationQueue(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers: " + workers + " (expected: >= 1)");
        }
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "conversation-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues {@code task} behind the key's earlier tasks; false when the queue is closed. */
    public boolean submit(String key, Runnable task) {
        requireNonNull(key, "key is null");
        requireNonNull(task, "task is null");
        synchronized (queues) {
            if (closed) {
                return false;
            }
            Deque<Runnable> queue = queues.get(key);
            if (queue != null) {
                queue.addLast(task);
                return true;
            }
            queue = new ArrayDeque<>();
            queue.addLast(task);
            queues.put(key, queue);
        }
        schedule(key);
        return true;
    }

    private void schedule(String key) {
        try {
            pool.execute(() -> runNext(key));
        } catch (RejectedExecutionException e) {
            // closing: what is left stays unanswered in the store and is answered after a restart
        }
    }

    /** Runs the head of the key's queue, then reschedules the key if more is waiting. */
    private void runNext(String key) {
        Runnable task;
        synchronized (queues) {
            if (closed) {
                queues.remove(key);
                return;
            }
            task = scheduledQueue(key).peekFirst();
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("conversation {}: task failed", key, e);
        }
        boolean more;
        synchronized (queues) {
            Deque<Runnable> queue = scheduledQueue(key);
            queue.pollFirst();
            more = !queue.isEmpty() && !closed;
            if (!more) {
                queues.remove(key);
            }
        }
        if (more) {
            schedule(key);
        }
    }

    /** A scheduled key's queue: only its own runNext, one at a time, removes it. Caller holds the lock. */
    private Deque<Runnable> scheduledQueue(String key) {
        return requireNonNull(queues.get(key), () -> "no queue for scheduled conversation " + key);
    }

    /** Stops taking work and waits up to {@code grace} for running tasks; queued ones are dropped. */
    public void close(Duration grace) {
        synchronized (queues) {
            if (closed) {
                return;
            }
            closed = true;
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("conversation turns still running after {} ms; interrupting them", grace.toMillis());
                pool.shutdownNow();
                pool.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
