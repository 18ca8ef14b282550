package dev.switchboard.core.heartbeat.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.routing.internal.Outbound;
import dev.switchboard.core.routing.internal.ProtocolRuns;
import dev.switchboard.core.store.internal.HeartbeatRepository;
import dev.switchboard.core.store.internal.HeartbeatRow;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.protocol.HeartbeatEvent;
import dev.switchboard.protocol.LastHeartbeat;
import dev.switchboard.protocol.RunStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent heartbeats ({@code [agent.heartbeat]}): a run of the agent in its own session at each slot
 * of the schedule, its answer delivered through the durable outbox to the configured target unless
 * it is the "nothing to report" answer. A slot is claimed in the store before its run starts (it
 * never runs twice); the answer's outbox row is committed before the run is recorded as ended, so
 * a crash in between neither loses nor repeats the delivery. Runs reuse the protocol's agent runs
 * ({@link ProtocolRuns}) and deliveries ({@link Outbound#deliver}).
 */
public final class Heartbeats implements AutoCloseable {
    /** The session every heartbeat run talks in. */
    public static final String SESSION_KEY = "heartbeat:main";
    /** The idempotency kind of heartbeat runs: apart from clients' {@code agent} keys. */
    static final String KIND = "heartbeat";

    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private final Store store;
    private final ProtocolRuns runs;
    private final Outbound outbound;
    private final Supplier<GatewayConfig.Heartbeat> config;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final Clock clock;
    private final List<Consumer<HeartbeatEvent>> listeners = new CopyOnWriteArrayList<>();
    private @Nullable ScheduledFuture<?> pending; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param config the {@code [agent.heartbeat]} in force, read at each run and reschedule
     * @param scheduler waits for the slots; the runs themselves start on {@code workers}
     */
    public Heartbeats(
            Store store,
            ProtocolRuns runs,
            Outbound outbound,
            Supplier<GatewayConfig.Heartbeat> config,
            ScheduledExecutorService scheduler,
            Executor workers,
            Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.outbound = requireNonNull(outbound, "outbound is null");
        this.config = requireNonNull(config, "config is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** {@code listener} hears every run's end (the {@code heartbeat} event). */
    public Heartbeats onRun(Consumer<HeartbeatEvent> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
        return this;
    }

    /** Ends a run the last process left running, then schedules the next slot. */
    public void start() {
        store.heartbeats()
                .recoverInterrupted(Outbound::deliveryKey)
                .ifPresent(row -> log.info(
                        "heartbeat run {} was interrupted by a stop; its answer {}",
                        row.lastRunId().orElse("(not started)"),
                        row.lastDelivered() ? "is in the outbox" : "was not produced"));
        reschedule();
    }

    /** Whether scheduled runs are on: {@code set-heartbeats}' switch, else {@code agent.heartbeat.enabled}. */
    public boolean enabled() {
        return enabled(store.heartbeats().read(), config.get());
    }

    /** Whether answers have somewhere to go ({@code agent.heartbeat.target}). */
    public boolean hasTarget() {
        return config.get().target().isPresent();
    }

    /** {@code last-heartbeat}. */
    public LastHeartbeat last() {
        HeartbeatRow row = store.heartbeats().read();
        boolean on = enabled(row, config.get());
        Optional<HeartbeatEvent> last = row.lastRunId()
                .map(runId -> new HeartbeatEvent(
                        runId,
                        status(row.lastStatus().orElse(RunStatus.ERROR.wireName())),
                        row.lastDelivered(),
                        row.lastAt().orElse(0),
                        on ? row.nextAt() : OptionalLong.empty()));
        return new LastHeartbeat(
                on, on ? row.nextAt() : OptionalLong.empty(), row.wakeText().isPresent(), last);
    }

    /** {@code set-heartbeats}: persisted, it wins over {@code agent.heartbeat.enabled} until that changes. */
    public LastHeartbeat setEnabled(boolean on) {
        store.heartbeats().enabled(Optional.of(on));
        log.info("heartbeats switched {}", on ? "on" : "off");
        reschedule();
        return last();
    }

    /**
     * A reload changed {@code [agent.heartbeat]}: a changed {@code enabled} clears {@code
     * set-heartbeats}' switch (the newer decision wins), and the schedule follows the new settings.
     */
    public void configChanged(GatewayConfig.Heartbeat before, GatewayConfig.Heartbeat after) {
        if (before.enabled() != after.enabled()) {
            store.heartbeats().enabled(Optional.empty());
        }
        reschedule();
    }

    /** {@code wake} with mode {@code next-heartbeat}: the text joins the next scheduled run's prompt. */
    public LastHeartbeat queueWake(String text) {
        store.heartbeats().queueWake(requireNonNull(text, "text is null"));
        return last();
    }

    /**
     * {@code wake} with mode {@code now}: a run at once with {@code text} after the prompt, on or off
     * and in quiet hours alike (an operator asked for it). Returns its run id.
     */
    public String wakeNow(String text) {
        requireNonNull(text, "text is null");
        return run(config.get(), Optional.of(text), "wake-" + UUID.randomUUID());
    }

    /** Cancels the next slot; runs in flight end with the reply loop. */
    @Override
    public synchronized void close() {
        closed = true;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Computes the next slot from now (never one already claimed), records it and waits for it. */
    synchronized void reschedule() {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        HeartbeatRow row = store.heartbeats().read();
        GatewayConfig.Heartbeat settings = config.get();
        if (!enabled(row, settings)) {
            store.heartbeats().nextAt(OptionalLong.empty());
            return;
        }
        Instant now = clock.instant();
        Instant after = Instant.ofEpochMilli(row.lastSlot() + 1);
        Instant slot =
                new HeartbeatSlots(settings.interval(), settings.quietHours()).next(after.isAfter(now) ? after : now);
        store.heartbeats().nextAt(OptionalLong.of(slot.toEpochMilli()));
        long delay = Math.max(0, slot.toEpochMilli() - now.toEpochMilli());
        pending = scheduler.schedule(() -> onWorker(() -> runSlot(slot)), delay, TimeUnit.MILLISECONDS);
    }

    private void onWorker(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("heartbeat not run: the gateway is stopping");
        }
    }

    private void runSlot(Instant slot) {
        try {
            GatewayConfig.Heartbeat settings = config.get();
            if (!enabled(store.heartbeats().read(), settings)) {
                reschedule();
                return;
            }
            Optional<Optional<String>> claimed = store.heartbeats().claimSlot(slot.toEpochMilli());
            reschedule();
            if (claimed.isPresent()) {
                run(settings, claimed.get(), "slot-" + slot.toEpochMilli());
            }
        } catch (RuntimeException e) {
            log.error("heartbeat at {} failed: {}", slot, e.getMessage(), e);
            reschedule();
        }
    }

    /** Starts one run on the heartbeat session's lane; returns its run id. */
    private String run(GatewayConfig.Heartbeat settings, Optional<String> wake, String key) {
        GatewayConfig.HeartbeatTarget target = settings.target()
                .orElseThrow(() -> new IllegalStateException("agent.heartbeat.target is not configured"));
        Outbound.Target account;
        try {
            account = outbound.resolve(target.channel(), target.account());
        } catch (Outbound.UnknownTargetException e) {
            String runId = UUID.randomUUID().toString();
            log.warn("heartbeat run {} not started: agent.heartbeat.target: {}", runId, e.getMessage());
            store.heartbeats().started(runId);
            ended(runId, RunStatus.ERROR, false);
            return runId;
        }
        String message = wake.map(text -> settings.prompt() + "\n\n" + text).orElse(settings.prompt());
        AtomicBoolean delivered = new AtomicBoolean();
        ProtocolRuns.Start start = runs.start(
                KIND,
                SESSION_KEY,
                message,
                key,
                new ProtocolRuns.Listener() {
                    @Override
                    public void delta(String text) {}

                    @Override
                    public void finished(ProtocolRuns.RunResult result) {
                        ended(result.runId(), result.status(), delivered.get());
                    }
                },
                result -> {
                    // on the lane, before the run is recorded as ended: the row outlives a crash here
                    if (!HeartbeatAnswers.nothingToReport(result.text(), settings.okAnswer())) {
                        outbound.deliver(account, target.to(), result.text(), result.runId());
                        delivered.set(true);
                    }
                    return result;
                });
        String runId = start.claim().runId();
        if (start.claim().status() == RunStatus.STARTED) {
            store.heartbeats().started(runId);
            start.start().run();
        }
        return runId;
    }

    private void ended(String runId, RunStatus status, boolean delivered) {
        try {
            store.heartbeats().finish(runId, status.wireName(), delivered);
        } catch (RuntimeException e) {
            log.error("could not record the end of heartbeat run {}: {}", runId, e.getMessage(), e);
        }
        log.info("heartbeat run {} ended {}{}", runId, status.wireName(), delivered ? ", answer delivered" : "");
        HeartbeatRow row = store.heartbeats().read();
        HeartbeatEvent event = new HeartbeatEvent(
                runId,
                status,
                delivered,
                clock.millis(),
                enabled(row, config.get()) ? row.nextAt() : OptionalLong.empty());
        for (Consumer<HeartbeatEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("heartbeat listener failed: {}", e.getMessage(), e);
            }
        }
    }

    private static boolean enabled(HeartbeatRow row, GatewayConfig.Heartbeat settings) {
        return settings.target().isPresent() && row.enabled().orElse(settings.enabled());
    }

    /** A stored status on the wire: a run still going is {@code in_flight}. */
    private static RunStatus status(String stored) {
        return stored.equals(HeartbeatRepository.RUNNING)
                ? RunStatus.IN_FLIGHT
                : RunStatus.find(stored).orElse(RunStatus.ERROR);
    }
}
