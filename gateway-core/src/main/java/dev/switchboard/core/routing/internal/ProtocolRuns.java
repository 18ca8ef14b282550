package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.store.internal.IdempotencyRecord;
import dev.switchboard.core.store.internal.IdempotencyRepository;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.protocol.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Agent runs that protocol clients start ({@code chat.send}, {@code agent}; SPEC §5.3): one
 * idempotency claim per run (a repeated key within {@link IdempotencyRepository#TTL} returns the first
 * run, never a second), the turn on the session's serial lane of the reply loop, progress to a
 * {@link Listener}, and the final result recorded for repeats and {@code agent.wait}. Live runs can be
 * awaited and aborted.
 */
public final class ProtocolRuns {
    private static final Logger log = LoggerFactory.getLogger(ProtocolRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The idempotency kind of {@code agent} runs. */
    public static final String AGENT = "agent";
    /** The idempotency kinds whose run ids {@link #await} knows. */
    private static final Set<String> RUN_KINDS = Set.of(WebChat.IDEMPOTENCY_KIND, AGENT);

    /** The error text of a run the gateway did not run because it is stopping. */
    public static final String STOPPING = "the gateway is stopping";

    static final String STORE_FAILED = "the gateway could not store the conversation";

    /** Where a run's progress goes; called on the session's lane, in order. */
    public interface Listener {
        /** The lane reached the run and the agent starts. */
        default void started() {}

        void delta(String text);

        /** The run ended (also when aborted while queued, then without {@link #started()}). */
        void finished(RunResult result);
    }

    /**
     * A finished run.
     *
     * @param status {@code ok}, {@code error} (text is the user-facing apology) or {@code aborted}
     * @param text the reply, the error message, or empty when aborted
     * @param durationMs how long the turn ran on its lane (queue wait excluded)
     */
    public record RunResult(String runId, String sessionKey, RunStatus status, String text, long durationMs) {
        public RunResult {
            requireNonNull(runId, "runId is null");
            requireNonNull(sessionKey, "sessionKey is null");
            requireNonNull(status, "status is null");
            requireNonNull(text, "text is null");
        }

        public boolean ok() {
            return status == RunStatus.OK;
        }

        String toJson() {
            return JSON.createObjectNode()
                    .put("status", status.wireName())
                    .put("text", text)
                    .put("durationMs", durationMs)
                    .put("sessionKey", sessionKey)
                    .toString();
        }

        static RunResult fromJson(String runId, String sessionKey, String json) {
            try {
                JsonNode result = JSON.readTree(json);
                return new RunResult(
                        runId,
                        result.path("sessionKey").asText(sessionKey),
                        RunStatus.find(result.path("status").asText("ok")).orElse(RunStatus.ERROR),
                        result.path("text").asText(""),
                        result.path("durationMs").asLong(0));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable idempotency result of run " + runId, e);
            }
        }
    }

    /**
     * What {@link #start} answers.
     *
     * @param status {@code started} (a new run), {@code in_flight} (a repeat of a running one), or the
     *     finished run's {@code ok}, {@code error}, {@code aborted}
     * @param acceptedAt when the run was claimed
     * @param result the final result, when finished
     * @param completion completes with the final result when the run ends (at once when finished)
     */
    public record Claim(
            String runId,
            String sessionKey,
            RunStatus status,
            Instant acceptedAt,
            Optional<RunResult> result,
            CompletableFuture<RunResult> completion) {}

    /** A claim and what queues its run (call it after the first answer is sent: events follow it). */
    public record Start(Claim claim, Runnable start) {}

    /** One live run. */
    private static final class Run {
        final String runId;
        final String sessionKey;
        final String claimKey;
        final Listener listener;
        final TurnControl control = new TurnControl();
        final CompletableFuture<RunResult> completion = new CompletableFuture<>();
        final AtomicBoolean finished = new AtomicBoolean();
        final long order = ORDER.incrementAndGet();
        volatile long startedNanos;

        Run(String runId, String sessionKey, String claimKey, Listener listener) {
            this.runId = runId;
            this.sessionKey = sessionKey;
            this.claimKey = claimKey;
            this.listener = listener;
        }

        long durationMs() {
            long started = startedNanos;
            return started == 0 ? 0 : (System.nanoTime() - started) / 1_000_000;
        }
    }

    private static final AtomicLong ORDER = new AtomicLong();

    private final Store store;
    private final ConversationQueue queue;
    private final Turns turns;
    private final Map<String, Run> live = new ConcurrentHashMap<>();

    ProtocolRuns(Store store, ConversationQueue queue, Turns turns) {
        this.store = requireNonNull(store, "store is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.turns = requireNonNull(turns, "turns is null");
    }

    /**
     * Claims {@code idempotencyKey} for a new run of {@code message} in {@code sessionKey}, or returns
     * the first run of a repeated key without starting another. {@code listener} hears a new run
     * only. {@code onOk} may rewrite an ok result before it is recorded (it runs on the lane, e.g. to
     * queue a delivery); it may throw to turn the run into a store failure.
     */
    public Start start(
            String kind,
            String sessionKey,
            String message,
            String idempotencyKey,
            Listener listener,
            UnaryOperator<RunResult> onOk) {
        requireNonNull(kind, "kind is null");
        requireNonNull(sessionKey, "sessionKey is null");
        requireNonNull(message, "message is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
        requireNonNull(listener, "listener is null");
        requireNonNull(onOk, "onOk is null");
        String claimKey = kind + ":" + idempotencyKey;
        for (int attempt = 0; attempt < 3; attempt++) {
            String runId = UUID.randomUUID().toString();
            Run run = new Run(runId, sessionKey, claimKey, listener);
            live.put(runId, run); // before the claim: a repeat racing us finds the run it reads
            Instant now = store.clock().instant();
            boolean claimed;
            try {
                claimed = store.idempotency().claim(claimKey, kind, runId, now);
            } catch (RuntimeException e) {
                live.remove(runId);
                throw e;
            }
            if (claimed) {
                Claim claim = new Claim(runId, sessionKey, RunStatus.STARTED, now, Optional.empty(), run.completion);
                return new Start(claim, () -> queue(run, message, onOk));
            }
            live.remove(runId);
            Optional<IdempotencyRecord> existing = store.idempotency().find(claimKey, now);
            if (existing.isPresent()) {
                return new Start(repeat(existing.get(), sessionKey, claimKey, now), () -> {});
            }
        }
        throw new IllegalStateException("could not claim idempotency key " + idempotencyKey);
    }

    private Claim repeat(IdempotencyRecord read, String sessionKey, String claimKey, Instant now) {
        Run run = live.get(read.runId());
        if (run != null) {
            return new Claim(
                    read.runId(),
                    run.sessionKey,
                    RunStatus.IN_FLIGHT,
                    read.createdAt(),
                    Optional.empty(),
                    run.completion);
        }
        // A run records its result before it leaves `live`: one that ended since the read above has it now.
        IdempotencyRecord record =
                read.inFlight() ? store.idempotency().find(claimKey, now).orElse(read) : read;
        RunResult result = result(record, sessionKey);
        return new Claim(
                record.runId(),
                result.sessionKey(),
                result.status(),
                record.createdAt(),
                Optional.of(result),
                CompletableFuture.completedFuture(result));
    }

    /** A recorded result; a claim left in flight by a stopped gateway is an error (its run is gone). */
    private static RunResult result(IdempotencyRecord record, String sessionKey) {
        if (record.inFlight()) {
            return new RunResult(
                    record.runId(),
                    sessionKey,
                    RunStatus.ERROR,
                    "run " + record.runId() + " did not finish: the gateway stopped while it ran",
                    0);
        }
        return RunResult.fromJson(
                record.runId(), sessionKey, record.resultJson().get());
    }

    private void queue(Run run, String message, UnaryOperator<RunResult> onOk) {
        if (!queue.submit(run.sessionKey, () -> execute(run, message, onOk))) {
            finish(run, new RunResult(run.runId, run.sessionKey, RunStatus.ERROR, STOPPING, 0));
        }
    }

    private void execute(Run run, String message, UnaryOperator<RunResult> onOk) {
        if (!run.control.begin()) {
            return; // aborted while queued: already finished
        }
        run.startedNanos = System.nanoTime();
        MDC.put("session", run.sessionKey);
        try {
            run.listener.started();
            Optional<Turns.Outcome> outcome =
                    turns.run(run.sessionKey, message, run.runId, run.listener::delta, run.control, reply -> {});
            RunResult result;
            if (outcome.isEmpty()) {
                result = new RunResult(run.runId, run.sessionKey, RunStatus.ERROR, STOPPING, run.durationMs());
            } else {
                result = switch (outcome.get().kind()) {
                    case OK -> onOk.apply(new RunResult(
                            run.runId,
                            run.sessionKey,
                            RunStatus.OK,
                            outcome.get().text(),
                            run.durationMs()));
                    case FAILED -> new RunResult(
                            run.runId,
                            run.sessionKey,
                            RunStatus.ERROR,
                            outcome.get().text(),
                            run.durationMs());
                    case ABORTED -> new RunResult(run.runId, run.sessionKey, RunStatus.ABORTED, "", run.durationMs());
                };
            }
            finish(run, result);
        } catch (RuntimeException e) {
            finish(run, new RunResult(run.runId, run.sessionKey, RunStatus.ERROR, STORE_FAILED, run.durationMs()));
            throw e;
        } finally {
            MDC.remove("session");
        }
    }

    /** Ends a run once: records the result for repeats, tells the listener, then completes waiters. */
    private void finish(Run run, RunResult result) {
        if (!run.finished.compareAndSet(false, true)) {
            return;
        }
        try {
            store.idempotency().complete(run.claimKey, run.runId, result.toJson());
        } catch (RuntimeException e) {
            log.error("could not record the result of run {}: {}", run.runId, e.getMessage(), e);
        } finally {
            live.remove(run.runId);
            try {
                run.listener.finished(result);
            } finally {
                run.completion.complete(result);
            }
        }
    }

    /**
     * Aborts the session's live runs, running or queued ({@code chat.abort}), or only {@code runId}
     * when given. An aborted run stores no turn; its listener hears {@code aborted}. Returns the run
     * ids aborted (runs already storing their result finish normally and are not listed).
     */
    public List<String> abort(Set<String> sessionKeys, Optional<String> runId) {
        requireNonNull(sessionKeys, "sessionKeys is null");
        requireNonNull(runId, "runId is null");
        List<String> aborted = new ArrayList<>();
        // newest first: queued runs are aborted before the running one frees the lane for them
        List<Run> newestFirst = live.values().stream()
                .sorted(Comparator.comparingLong((Run run) -> run.order).reversed())
                .toList();
        for (Run run : newestFirst) {
            if (!sessionKeys.contains(run.sessionKey)
                    || (runId.isPresent() && !runId.get().equals(run.runId))) {
                continue;
            }
            if (run.control.abort()) {
                finish(run, new RunResult(run.runId, run.sessionKey, RunStatus.ABORTED, "", run.durationMs()));
                aborted.add(run.runId);
            }
        }
        return List.copyOf(aborted);
    }

    /**
     * The final result of a run ({@code agent.wait}): a live run's completion, a finished one's
     * recorded result (until the store purges it), empty for a run id this gateway does not know.
     */
    public Optional<CompletableFuture<RunResult>> await(String runId) {
        requireNonNull(runId, "runId is null");
        Run run = live.get(runId);
        if (run != null) {
            return Optional.of(run.completion);
        }
        return store.idempotency()
                .findByRunId(runId)
                .filter(record -> RUN_KINDS.contains(record.kind()))
                .map(record -> CompletableFuture.completedFuture(result(record, "")));
    }
}
