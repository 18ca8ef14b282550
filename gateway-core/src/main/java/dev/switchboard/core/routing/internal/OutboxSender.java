package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.internal.AccountOwnership;
import dev.switchboard.core.channel.internal.AccountSupervisor;
import dev.switchboard.core.internal.Failures;
import dev.switchboard.core.store.internal.Fence;
import dev.switchboard.core.store.internal.OutboxRow;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.SendException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox (SPEC §6) through each account's supervisor. Per conversation only the oldest
 * pending row is ever sent, and never two at once, so replies arrive in order; a retryable failure
 * holds the conversation back until the row is due again (the platform's {@code retry_after}, else
 * exponential backoff with jitter), a permanent one marks the row failed with the reason. Rows
 * pending at {@link #start()} are sent at once (crash recovery). While an account has no adapter
 * (starting, or waiting to restart a failed one) its rows are held without counting an attempt.
 *
 * <p>The store is the record, memory the schedule: each conversation's pending rows wait in a lane,
 * fed by reading only the rows enqueued since the last look ({@link #wake()}), so a backlog costs
 * nothing per send. A full read every {@link #RECONCILE} catches rows committed out of id order
 * (sequences on a server database may do that).
 */
final class OutboxSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** How soon to look again at rows held because their account has no adapter yet. */
    private static final Duration ACCOUNT_DOWN_POLL = Duration.ofMillis(100);

    private static final Duration RECONCILE = Duration.ofSeconds(30);
    /**
     * A cluster replica reads every pending row this often: other replicas write rows for the
     * accounts it holds (protocol {@code send}, replies to messages they accepted).
     */
    private static final Duration CLUSTER_RECONCILE = Duration.ofSeconds(1);
    /** The accept time of a row whose message was not accepted by this run: its delivery is not timed. */
    static final long UNTIMED = Long.MIN_VALUE;

    private final Store store;
    /** The account of a row, looked up at each send: a reload adds and removes accounts. */
    private final BiFunction<String, String, Optional<AccountSupervisor>> accounts;

    private final AccountOwnership ownership;
    private final Duration reconcileEvery;
    private final Clock clock;
    private final Backoff backoff;
    private final LoopTimings timings;
    private final ExecutorService senders;
    private final Thread dispatcher;

    private final Object lock = new Object();
    /** Pending rows per conversation, oldest first; guarded by {@link #lock}. */
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    /** Ids of the rows in the lanes; guarded by {@link #lock}. */
    private final Set<Long> known = new HashSet<>();
    /**
     * Rows finished since the current read began: the read may predate their markDelivered or
     * markFailed, so they are not taken into a lane again. Guarded by {@link #lock}.
     */
    private final Set<Long> finished = new HashSet<>();
    /** When each offered reply's message was accepted ({@link System#nanoTime()}), until it is sent; guarded by {@link #lock}. */
    private final Map<Long, Long> acceptedAt = new HashMap<>();

    /**
     * The highest row id read from the store so far; guarded by {@link #lock}. On SQLite ids grow in
     * commit order, so a read that saw an id saw every committed row below it.
     */
    private long lastSeenId;

    private long nextReconcile;
    private boolean wakeup;
    /** Rows may wait in the store that no lane holds yet; guarded by {@link #lock}. */
    private boolean unread = true;

    private volatile boolean closed;

    /** One conversation's pending rows by id (oldest first, however they arrived); one at a time is sent. */
    private static final class Lane {
        final TreeMap<Long, OutboxRow> rows = new TreeMap<>();
        boolean sending;
        /** When the head may be sent: its next attempt, or at once after a start. */
        Instant notBefore = Instant.MIN;
    }

    OutboxSender(
            Store store,
            BiFunction<String, String, Optional<AccountSupervisor>> accounts,
            AccountOwnership ownership,
            Clock clock,
            Backoff backoff,
            int parallelism,
            LoopTimings timings) {
        this.store = requireNonNull(store, "store is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.reconcileEvery = ownership == AccountOwnership.SOLE ? RECONCILE : CLUSTER_RECONCILE;
        this.clock = requireNonNull(clock, "clock is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.timings = requireNonNull(timings, "timings is null");
        AtomicInteger count = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "outbox-send-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.dispatcher = new Thread(this::dispatchLoop, "outbox-dispatcher");
        this.dispatcher.setDaemon(true);
    }

    public OutboxSender start() {
        List<OutboxRow> pending = store.outbox().pending();
        synchronized (lock) {
            // left by the last stop: due now, whatever retry time they carried
            pending.forEach(row -> take(row, true));
            pending.forEach(row -> lastSeenId = Math.max(lastSeenId, row.id()));
        }
        if (!pending.isEmpty() && ownership == AccountOwnership.SOLE) {
            log.info("sending {} outbox row(s) left pending by the last stop", pending.size());
        }
        nextReconcile = System.nanoTime() + reconcileEvery.toNanos();
        dispatcher.start();
        return this;
    }

    /** An account was taken over: read every pending row now, its rows among them. */
    public void reconcileNow() {
        synchronized (lock) {
            nextReconcile = System.nanoTime();
            wakeup = true;
            lock.notifyAll();
        }
    }

    /** Rows were enqueued: read them now rather than at the next poll. */
    public void wake() {
        synchronized (lock) {
            unread = true;
            wakeup = true;
            lock.notifyAll();
        }
    }

    /**
     * A committed row, handed over in memory so the sender need not read it back from the store.
     *
     * @param accepted the {@link System#nanoTime()} its message was accepted at, or {@link #UNTIMED}:
     *     the time to its delivery is reported to {@link LoopTimings#replyDelivered}
     */
    public void offer(OutboxRow row, long accepted) {
        synchronized (lock) {
            if (row.id() <= lastSeenId) {
                return; // a read took it already (and it may be sent and finished by now)
            }
            take(row, false);
            if (accepted != UNTIMED) {
                acceptedAt.put(row.id(), accepted);
            }
            wakeup = true;
            lock.notifyAll();
        }
    }

    private void dispatchLoop() {
        while (!closed) {
            Duration wait;
            try {
                readNewRows();
                wait = dispatchDue();
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.error("outbox poll failed: {}", e.getMessage(), e);
                wait = IDLE_POLL;
            }
            synchronized (lock) {
                try {
                    long deadline = System.nanoTime() + wait.toNanos();
                    while (!wakeup && !closed) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                wakeup = false;
            }
        }
    }

    /** Takes the rows enqueued since the last read into their lanes (every row, now and then). */
    private void readNewRows() {
        boolean reconcile = System.nanoTime() - nextReconcile >= 0;
        synchronized (lock) {
            if (!unread && !reconcile) {
                return; // everything enqueued since the last read was offered
            }
            unread = false;
            finished.clear(); // every send finished so far is committed, so the read below sees it
        }
        List<OutboxRow> rows =
                reconcile ? store.outbox().pending() : store.outbox().pendingAfter(lastSeenId);
        if (reconcile) {
            nextReconcile = System.nanoTime() + reconcileEvery.toNanos();
        }
        synchronized (lock) {
            rows.forEach(row -> take(row, false));
            // only reads advance it: an offered row's id may be above rows enqueued but not read yet
            rows.forEach(row -> lastSeenId = Math.max(lastSeenId, row.id()));
        }
    }

    /**
     * Adds a row to its lane unless it is there already, just finished, or its account is another
     * replica's to send for. Holds {@link #lock}.
     */
    private void take(OutboxRow row, boolean dueNow) {
        if (finished.contains(row.id()) || !ownership.owns(row.channel(), row.account()) || !known.add(row.id())) {
            return;
        }
        Lane lane = lanes.computeIfAbsent(row.conversation(), key -> new Lane());
        if (lane.rows.isEmpty() && !dueNow) {
            lane.notBefore = row.nextAttemptAt();
        }
        lane.rows.put(row.id(), row);
    }

    /** Starts a send of each idle conversation's head if it is due; returns how long to sleep. */
    private Duration dispatchDue() {
        Instant now = clock.instant();
        Duration wait = IDLE_POLL;
        List<OutboxRow> due = new ArrayList<>();
        synchronized (lock) {
            for (Lane lane : lanes.values()) {
                Map.Entry<Long, OutboxRow> first = lane.rows.firstEntry();
                if (lane.sending || first == null) {
                    continue;
                }
                OutboxRow head = first.getValue();
                AccountSupervisor account =
                        accounts.apply(head.channel(), head.account()).orElse(null);
                if (account != null && !account.running()) {
                    // Not an attempt: after a restart the sender starts before the adapters exist, and
                    // counting that as a failure would back the row off further on every restart.
                    wait = shorter(wait, ACCOUNT_DOWN_POLL);
                    continue;
                }
                if (lane.notBefore.isAfter(now)) {
                    wait = shorter(wait, Duration.between(now, lane.notBefore));
                    continue;
                }
                lane.sending = true;
                due.add(head);
            }
        }
        for (OutboxRow row : due) {
            try {
                senders.execute(() -> send(row));
            } catch (RejectedExecutionException e) {
                return IDLE_POLL; // closing
            }
        }
        return wait;
    }

    private void send(OutboxRow row) {
        Optional<Instant> retryAt = Optional.empty();
        long deliveredAt = UNTIMED;
        // every record of this attempt (delivered, retry, failed) carries the fence it began under
        Optional<Fence> fence = ownership.fence(row.channel(), row.account());
        try {
            AccountSupervisor account =
                    accounts.apply(row.channel(), row.account()).orElse(null);
            if (!ownership.owns(row.channel(), row.account())) {
                log.info(
                        "outbox row {}: {}.{} moved to another replica, which sends it",
                        row.id(),
                        row.channel(),
                        row.account());
                return; // finished here: the lane lets it go, the new owner reads it from the store
            }
            if (account == null) {
                throw SendException.retryable(
                        row.channel() + "." + row.account() + " is not running in this gateway", null);
            }
            account.send(row.message());
            deliveredAt = System.nanoTime();
            if (!store.outbox().markDelivered(row.id(), clock.instant(), fence) && fence.isPresent()) {
                log.warn(
                        "outbox row {}: sent, but the lease on {}.{} was lost before the delivery was recorded;"
                                + " its new owner sends it again",
                        row.id(),
                        row.channel(),
                        row.account());
            }
        } catch (SendException e) {
            retryAt = onSendFailure(row, e, fence);
        } catch (RuntimeException | Error e) {
            // an Error too (a plugin's missing class, a failed assertion): a bug in the channel must neither
            // end this sender thread nor drop the row from its lane; the row is retried like any other failure
            if (!closed) {
                log.warn("outbox row {} to {}: send failed: {}", row.id(), row.conversation(), e.getMessage(), e);
                retryAt = Optional.of(retry(row, Optional.empty(), Failures.describe(e), fence));
            }
        } finally {
            long accepted = finish(row, retryAt);
            if (deliveredAt != UNTIMED && accepted != UNTIMED && retryAt.isEmpty()) {
                timings.replyDelivered(deliveredAt - accepted);
            }
            wake();
        }
    }

    /**
     * The lane's head is done: removed when it finished, held until {@code retryAt} otherwise.
     * Returns when a finished row's message was accepted, or {@link #UNTIMED}.
     */
    private long finish(OutboxRow row, Optional<Instant> retryAt) {
        synchronized (lock) {
            Lane lane = requireNonNull(
                    lanes.get(row.conversation()), () -> "no lane for the row being sent to " + row.conversation());
            lane.sending = false;
            if (retryAt.isPresent()) {
                lane.rows.put(row.id(), retried(row, retryAt.get()));
                lane.notBefore = retryAt.get();
                return UNTIMED;
            }
            Long accepted = acceptedAt.remove(row.id());
            lane.rows.remove(row.id());
            known.remove(row.id());
            finished.add(row.id());
            Map.Entry<Long, OutboxRow> next = lane.rows.firstEntry();
            if (next == null) {
                lanes.remove(row.conversation());
            } else {
                lane.notBefore = next.getValue().nextAttemptAt();
            }
            return accepted == null ? UNTIMED : accepted;
        }
    }

    /** Marks a failed send for a retry or as failed; returns when to try again, if at all. */
    private Optional<Instant> onSendFailure(OutboxRow row, SendException e, Optional<Fence> fence) {
        if (e.retryable()) {
            log.debug("outbox row {} to {}: {} (retrying)", row.id(), row.conversation(), Failures.describe(e));
            return Optional.of(retry(row, e.retryAfter(), Failures.describe(e), fence));
        }
        log.warn("outbox row {} to {} failed permanently: {}", row.id(), row.conversation(), Failures.describe(e));
        store.outbox().markFailed(row.id(), Failures.describe(e), fence);
        AccountSupervisor account = accounts.apply(row.channel(), row.account()).orElse(null);
        if (account != null) {
            account.countFailedMessage();
        }
        return Optional.empty();
    }

    private Instant retry(OutboxRow row, Optional<Duration> retryAfter, String error, Optional<Fence> fence) {
        Instant at = clock.instant().plus(retryAfter.orElseGet(() -> backoff.delay(row.attempts())));
        if (!closed) {
            try {
                store.outbox().markRetry(row.id(), at, error, fence);
            } catch (RuntimeException e) {
                // the store is failing: the lane still holds the row and tries again at the same time
                log.error("outbox row {}: could not record the retry: {}", row.id(), e.getMessage());
            }
        }
        return at;
    }

    /** The row as {@link #retry} recorded it: one more attempt, due at {@code at}. */
    private static OutboxRow retried(OutboxRow row, Instant at) {
        return new OutboxRow(
                row.id(),
                row.inboundId(),
                row.channel(),
                row.account(),
                row.message(),
                row.status(),
                row.attempts() + 1,
                at,
                row.lastError(),
                row.createdAt(),
                row.finishedAt());
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops dispatching and waits (bounded) for sends in flight; pending rows stay for the next start. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wake();
        senders.shutdown();
        try {
            dispatcher.join(TimeUnit.SECONDS.toMillis(5));
            if (!senders.awaitTermination(10, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            senders.shutdownNow();
        }
    }
}
