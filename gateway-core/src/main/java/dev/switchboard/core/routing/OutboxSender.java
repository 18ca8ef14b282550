package dev.switchboard.core.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountSupervisor;
import dev.switchboard.core.channel.Backoff;
import dev.switchboard.core.store.OutboxRow;
import dev.switchboard.core.store.Store;
import dev.switchboard.spi.SendException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox (SPEC §6) through each account's supervisor. Per conversation only the oldest
 * pending row is ever sent, and never two at once, so replies arrive in order; a retryable failure
 * holds the conversation back until the row is due again (the platform's {@code retry_after}, else
 * exponential backoff with jitter), a permanent one marks the row failed with the reason. Rows
 * pending at {@link #start()} are sent at once (crash recovery). While an account has no adapter
 * (starting, or waiting to restart a failed one) its rows are held without counting an attempt.
 */
public final class OutboxSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
    /** SPEC §6: retries back off from 1 s to 5 min. */
    public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** How soon to look again at rows held because their account has no adapter yet. */
    private static final Duration ACCOUNT_DOWN_POLL = Duration.ofMillis(100);

    private final Store store;
    private final Map<String, AccountSupervisor> accounts;
    private final Clock clock;
    private final Backoff backoff;
    private final ExecutorService senders;
    private final Thread dispatcher;
    private final Object lock = new Object();
    private final Set<String> inFlight = new HashSet<>();
    private final Set<Long> dueAtStart = new HashSet<>();
    /**
     * Rows whose send finished since the current poll began: the poll's snapshot may predate their
     * markDelivered/markRetry, so they are skipped until the next poll reads them afresh.
     */
    private final Set<Long> finished = new HashSet<>();

    private boolean wakeup;
    private volatile boolean closed;

    public OutboxSender(Store store, List<AccountSupervisor> accounts, Clock clock, Backoff backoff, int parallelism) {
        this.store = requireNonNull(store, "store is null");
        this.accounts = new LinkedHashMap<>();
        requireNonNull(accounts, "accounts is null")
                .forEach(account -> this.accounts.put(account.channelId() + ":" + account.accountId(), account));
        this.clock = requireNonNull(clock, "clock is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
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
        store.outbox().pending().forEach(row -> dueAtStart.add(row.id()));
        if (!dueAtStart.isEmpty()) {
            log.info("sending {} outbox row(s) left pending by the last stop", dueAtStart.size());
        }
        dispatcher.start();
        return this;
    }

    /** A row was enqueued: look now rather than at the next poll. */
    public void wake() {
        synchronized (lock) {
            wakeup = true;
            lock.notifyAll();
        }
    }

    private void dispatchLoop() {
        while (!closed) {
            Duration wait;
            try {
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

    /** Starts a send of each idle conversation's oldest row if it is due; returns how long to sleep. */
    private Duration dispatchDue() {
        synchronized (lock) {
            finished.clear(); // every send finished so far is committed, so the read below sees it
        }
        List<OutboxRow> pending = store.outbox().pending();
        Instant now = clock.instant();
        Duration wait = IDLE_POLL;
        Set<String> seen = new HashSet<>();
        for (OutboxRow row : pending) {
            String conversation = row.conversation();
            if (!seen.add(conversation)) {
                continue; // an older row of this conversation is still pending
            }
            AccountSupervisor account = accounts.get(row.channel() + ":" + row.account());
            if (account != null && !account.running()) {
                // Not an attempt: after a restart the sender starts before the adapters exist, and
                // counting that as a failure would back the row off further on every restart.
                wait = ACCOUNT_DOWN_POLL.compareTo(wait) < 0 ? ACCOUNT_DOWN_POLL : wait;
                continue;
            }
            boolean due;
            synchronized (lock) {
                if (inFlight.contains(conversation) || finished.contains(row.id())) {
                    continue;
                }
                due = !row.nextAttemptAt().isAfter(now) || dueAtStart.remove(row.id());
                if (due) {
                    inFlight.add(conversation);
                }
            }
            if (!due) {
                Duration until = Duration.between(now, row.nextAttemptAt());
                wait = until.compareTo(wait) < 0 ? until : wait;
                continue;
            }
            try {
                senders.execute(() -> send(row));
            } catch (RejectedExecutionException e) {
                return IDLE_POLL; // closing
            }
        }
        return wait;
    }

    private void send(OutboxRow row) {
        try {
            AccountSupervisor account = accounts.get(row.channel() + ":" + row.account());
            if (account == null) {
                throw SendException.retryable(
                        row.channel() + "." + row.account() + " is not running in this gateway", null);
            }
            account.send(row.message());
            store.outbox().markDelivered(row.id(), clock.instant());
        } catch (SendException e) {
            onSendFailure(row, e);
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("outbox row {} to {}: send failed: {}", row.id(), row.conversation(), e.getMessage(), e);
                retry(row, Optional.empty(), describe(e));
            }
        } finally {
            synchronized (lock) {
                inFlight.remove(row.conversation());
                finished.add(row.id());
            }
            wake();
        }
    }

    private void onSendFailure(OutboxRow row, SendException e) {
        if (e.retryable()) {
            log.debug("outbox row {} to {}: {} (retrying)", row.id(), row.conversation(), describe(e));
            retry(row, e.retryAfter(), describe(e));
            return;
        }
        log.warn("outbox row {} to {} failed permanently: {}", row.id(), row.conversation(), describe(e));
        store.outbox().markFailed(row.id(), describe(e));
        AccountSupervisor account = accounts.get(row.channel() + ":" + row.account());
        if (account != null) {
            account.countFailedMessage();
        }
    }

    private void retry(OutboxRow row, Optional<Duration> retryAfter, String error) {
        Duration delay = retryAfter.orElseGet(() -> backoff.delay(row.attempts()));
        if (closed) {
            return;
        }
        store.outbox().markRetry(row.id(), clock.instant().plus(delay), error);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
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
