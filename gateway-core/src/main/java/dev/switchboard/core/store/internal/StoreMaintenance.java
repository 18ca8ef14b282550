package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.internal.Failures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's background work while the gateway runs: a health check every second, so {@code
 * health} answers from memory without touching the store on an I/O thread, and the retention purge
 * (docs/store.md) shortly after start and then hourly. The scheduler only triggers; the queries run
 * on {@code workers}, so a slow store never delays the gateway's timers.
 */
public final class StoreMaintenance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreMaintenance.class);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PURGE_FIRST_DELAY = Duration.ofMinutes(1);
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    /**
     * Whether the store answered a trivial query, and how fast.
     *
     * @param error why it did not, when it did not
     */
    public record Health(boolean ok, long latencyMs, Optional<String> error) {
        public Health {
            requireNonNull(error, "error is null");
        }
    }

    private final Store store;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private volatile @Nullable Health last;

    public StoreMaintenance(Store store, Clock clock, ScheduledExecutorService scheduler, Executor workers) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.workers = requireNonNull(workers, "workers is null");
    }

    /** Measures the store once now, then schedules the checks and the purge. */
    public synchronized StoreMaintenance start() {
        measure();
        tasks.add(scheduler.scheduleAtFixedRate(
                () -> onWorker(this::measure),
                CHECK_INTERVAL.toMillis(),
                CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS));
        tasks.add(scheduler.scheduleAtFixedRate(
                () -> onWorker(this::purge),
                PURGE_FIRST_DELAY.toMillis(),
                PURGE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS));
        return this;
    }

    /**
     * The store's health: measured now when {@code measure} (blocks: not on an I/O thread), else the
     * last background measurement (measured now when there is none yet).
     */
    public Health health(boolean measure) {
        Health known = last;
        return measure || known == null ? measure() : known;
    }

    private Health measure() {
        Health health;
        try {
            health = new Health(true, store.ping().toMillis(), Optional.empty());
        } catch (RuntimeException e) {
            health = new Health(false, 0, Optional.of(Failures.describe(e)));
        }
        last = health;
        return health;
    }

    private void purge() {
        try {
            Retention.Purged purged = Retention.purge(store, clock.instant());
            if (purged.total() > 0) {
                log.info(
                        "store purge: {} outbox row(s), {} inbound message(s), {} idempotency key(s)",
                        purged.outbox(),
                        purged.inbound(),
                        purged.idempotency());
            }
        } catch (RuntimeException e) {
            log.warn("store purge failed (retried in an hour): {}", Failures.describe(e), e);
        }
    }

    private void onWorker(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            // stopping, or the workers are saturated: the next run does it
        }
    }

    /** Stops the background work; the store stays open. */
    @Override
    public synchronized void close() {
        tasks.forEach(task -> task.cancel(false));
        tasks.clear();
    }
}
