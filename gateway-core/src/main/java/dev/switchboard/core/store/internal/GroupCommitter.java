package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * Runs every transaction of the store on one thread, the store's only writer (SQLite has one
 * anyway), and commits the transactions that queued up meanwhile together: one commit for a batch,
 * each transaction in it a savepoint, so one that fails rolls back alone. A caller returns only
 * after its batch is committed, so "returned" still means "durable".
 *
 * <p>Why not a lock: with the reply loop's conversation workers, the channel pollers and the outbox
 * senders all writing, a lock became a convoy (a fair lock hands over through a thread wake-up for
 * every transaction; an unfair one starved the Telegram poller for up to a second). Here callers
 * only wait for their own result, and the writer never stops while work is queued.
 */
final class GroupCommitter implements AutoCloseable {
    /** The most transactions committed together; bounds how long the first of a batch waits. */
    private static final int MAX_BATCH = 64;

    private final String url;
    private final StoreConnections connections;
    /** The connection of the batch the writer is running; only the writer touches it. */
    private @Nullable Connection current;

    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Object closeLock = new Object();
    private boolean closed;

    /** One queued transaction and where its result goes. */
    private record Task<T>(String what, Store.Work<T> work, CompletableFuture<T> result) {
        // the writer takes it out of its batch: its work never runs
        static final Task<Void> END = new Task<>(
                "end",
                c -> {
                    throw new IllegalStateException("the end marker is not a transaction");
                },
                new CompletableFuture<>());
    }

    GroupCommitter(String url, StoreConnections connections) {
        this.url = url;
        this.connections = connections;
        this.writer = new Thread(this::writeLoop, "store-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Runs {@code work} as one transaction, committed when this returns. Called from inside another
     * transaction's work (on the writer), it joins that transaction.
     */
    <T> T run(String what, Store.Work<T> work) {
        if (Thread.currentThread() == writer) {
            try {
                return work.run(requireNonNull(current, "a nested transaction outside a batch"));
            } catch (SQLException e) {
                throw failure(what, e);
            }
        }
        Task<T> task = new Task<>(what, work, new CompletableFuture<>());
        synchronized (closeLock) {
            if (closed) {
                throw new IllegalStateException("store " + url + " is closed");
            }
            queue.add(task);
        }
        return await(task);
    }

    /** Waits for the task like a lock would: uninterruptibly, keeping the interrupt for the caller. */
    private <T> T await(Task<T> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.result().get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw failure(task.what(), cause != null ? cause : e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeLoop() {
        List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() ends the writer, after the queue is drained
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean end = batch.remove(Task.END);
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
            if (end) {
                return;
            }
        }
    }

    /** Runs a batch in one transaction; each task gets its result or failure once it is committed. */
    private void commit(List<Task<?>> batch) {
        List<Object> outcomes = new ArrayList<>(batch.size());
        Connection connection = null;
        try {
            connection = connections.acquire();
            current = connection;
            connection.setAutoCommit(false);
            try {
                for (Task<?> task : batch) {
                    outcomes.add(runInBatch(connection, task, batch.size() > 1));
                }
                connection.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            } finally {
                restoreAutoCommit(connection);
            }
        } catch (SQLException | RuntimeException | Error e) {
            // no connection, or the commit itself failed: nothing of the batch is durable
            batch.forEach(task -> task.result().completeExceptionally(e));
            return;
        } finally {
            current = null;
            if (connection != null) {
                connections.release(connection);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), outcomes.get(i));
        }
    }

    /** A task's result, or the {@link Failure} it ended with (then rolled back to its savepoint). */
    private static Object runInBatch(Connection connection, Task<?> task, boolean savepoint) throws SQLException {
        Savepoint mark = savepoint ? connection.setSavepoint() : null;
        try {
            Object result = task.work().run(connection);
            if (mark != null) {
                connection.releaseSavepoint(mark);
            }
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            if (mark == null) {
                throw e; // alone in its batch: the whole transaction rolls back
            }
            connection.rollback(mark);
            connection.releaseSavepoint(mark);
            return new Failure(e);
        }
    }

    /** A task that failed inside a batch that committed. */
    private record Failure(Throwable cause) {}

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object outcome) {
        if (outcome instanceof Failure failure) {
            task.result().completeExceptionally(failure.cause());
        } else {
            task.result().complete((T) outcome);
        }
    }

    /**
     * Back to auto-commit for the next user of the connection. A connection that fails here broke
     * after its transaction ended, which does not undo the commit: the pool replaces it, and an
     * SQLite connection that broke fails the next batch.
     */
    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // see above
        }
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private SwitchboardException failure(String what, Throwable e) {
        return new SwitchboardException(
                SwitchboardException.Kind.RUNTIME, "store " + url + ": " + what + " failed: " + Store.oneLine(e), e);
    }

    /** Runs what is queued, stops the writer, and refuses further work. Idempotent. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(Task.END);
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
