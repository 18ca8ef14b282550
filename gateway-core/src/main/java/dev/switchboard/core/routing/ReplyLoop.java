package dev.switchboard.core.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.agent.AgentFailures;
import dev.switchboard.core.store.AcceptResult;
import dev.switchboard.core.store.InboundRow;
import dev.switchboard.core.store.OutboxRow;
import dev.switchboard.core.store.SessionRepository;
import dev.switchboard.core.store.SessionRow;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.Turn;
import dev.switchboard.spi.AgentRequest;
import dev.switchboard.spi.AgentRun;
import dev.switchboard.spi.AgentRuntime;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.OutboundMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The reply loop of SPEC §6: stores each allowed inbound message (dedup on channel, account and
 * platform message id), answers it on its conversation's queue with the agent, and puts exactly one
 * reply per message in the outbox. Messages accepted but not answered before a crash or a close are
 * answered by {@link #start()} of the next run.
 */
public final class ReplyLoop implements InboundSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplyLoop.class);
    static final String NEW_SESSION_REPLY = "Started a new conversation.";
    private static final int RECOVERY_BATCH = 10_000;
    /** What a repeat of a protocol run's key answers when the gateway stopped while it ran. */
    static final String ABANDONED_RUN =
            "{\"status\":\"error\",\"text\":\"the run did not finish: the gateway stopped while it ran\"}";

    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(10);
    /** How often the typing indicator is renewed while a turn runs (Telegram's lasts about 5 s). */
    public static final Duration TYPING_INTERVAL = Duration.ofSeconds(4);
    /**
     * How long a turn runs before the typing indicator shows: a reply ready sooner makes the
     * indicator pointless, and each one is a platform API call.
     */
    public static final Duration TYPING_DELAY = Duration.ofMillis(500);

    /** Shows a platform's typing indicator in a conversation (the account's adapter, when running). */
    @FunctionalInterface
    public interface Typing {
        Typing NONE = (channelId, accountId, conversationId, threadId) -> {};

        void typing(String channelId, String accountId, String conversationId, Optional<String> threadId);
    }

    private final Store store;
    private final AgentRuntime agent;
    private final int historyLimit;
    private final Optional<String> systemPrompt;
    private final Consumer<OutboxRow> onReply;
    private final ConversationQueue queue;
    private final Duration closeGrace;
    /** Inbound ids queued or running, so recovery never queues a message twice. */
    private final Set<Long> queued = ConcurrentHashMap.newKeySet();

    private final ProtocolRuns runs = new ProtocolRuns(this);
    private final WebChat webChat = new WebChat(this);

    private volatile Typing typing = Typing.NONE;
    private volatile ScheduledExecutorService typingScheduler;
    private volatile Duration typingInterval = TYPING_INTERVAL;
    private volatile Duration typingDelay = TYPING_DELAY;

    private volatile boolean closed;

    /**
     * @param systemPrompt the system prompt for every run; empty: the runtime's own
     * @param onReply gets each reply's outbox row once it is committed (hands it to the sender)
     * @param closeGrace how long {@link #close()} lets running turns finish
     */
    public ReplyLoop(
            Store store,
            AgentRuntime agent,
            int historyLimit,
            Optional<String> systemPrompt,
            Consumer<OutboxRow> onReply,
            int workers,
            Duration closeGrace) {
        this.store = requireNonNull(store, "store is null");
        this.agent = requireNonNull(agent, "agent is null");
        if (historyLimit < 1) {
            throw new IllegalArgumentException("historyLimit: " + historyLimit + " (expected: >= 1)");
        }
        this.historyLimit = historyLimit;
        this.systemPrompt = requireNonNull(systemPrompt, "systemPrompt is null");
        this.onReply = requireNonNull(onReply, "onReply is null");
        this.closeGrace = requireNonNull(closeGrace, "closeGrace is null");
        this.queue = new ConversationQueue(workers);
    }

    /**
     * Shows {@code indicator} for platform messages whose turn runs longer than {@code delay}, until
     * the reply is in the outbox, renewed every {@code interval} on {@code scheduler}. Call before
     * {@link #start()}.
     */
    public ReplyLoop typing(Typing indicator, ScheduledExecutorService scheduler, Duration delay, Duration interval) {
        requireNonNull(delay, "delay is null");
        requireNonNull(interval, "interval is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: zero or positive)");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: a positive duration)");
        }
        this.typing = requireNonNull(indicator, "indicator is null");
        this.typingScheduler = requireNonNull(scheduler, "scheduler is null");
        this.typingDelay = delay;
        this.typingInterval = interval;
        return this;
    }

    /** Queues every accepted-but-unanswered message (crash recovery). */
    public ReplyLoop start() {
        int abandoned = store.idempotency().abandonInFlight(ABANDONED_RUN);
        if (abandoned > 0) {
            log.info(
                    "{} protocol run(s) were still running at the last stop; repeats of their keys answer an error",
                    abandoned);
        }
        List<InboundRow> unanswered = store.inbound().unanswered(RECOVERY_BATCH);
        if (!unanswered.isEmpty()) {
            log.info("answering {} message(s) accepted before the last stop", unanswered.size());
        }
        unanswered.forEach(row -> enqueue(row.id(), row.message(), row.sessionKey(), true));
        return this;
    }

    @Override
    public Result accept(InboundMessage message) {
        requireNonNull(message, "message is null");
        return acceptAll(List.of(message)).get(0);
    }

    /** Stores the batch in one transaction (one commit per {@code getUpdates} page), then queues it. */
    @Override
    public List<Result> acceptAll(List<InboundMessage> messages) {
        requireNonNull(messages, "messages is null");
        if (closed) {
            throw new InboundRejectedException("the gateway is stopping", null);
        }
        List<String> sessionKeys =
                messages.stream().map(SessionRepository::sessionKey).toList();
        List<AcceptResult> stored;
        try {
            stored = store.atomically("accept " + messages.size() + " message(s)", () -> {
                List<AcceptResult> results = new ArrayList<>(messages.size());
                for (int i = 0; i < messages.size(); i++) {
                    results.add(store.inbound().accept(messages.get(i), sessionKeys.get(i)));
                }
                return results;
            });
        } catch (RuntimeException e) {
            throw new InboundRejectedException("could not store " + describe(messages) + ": " + e.getMessage(), e);
        }
        List<Result> results = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            AcceptResult result = stored.get(i);
            if (result.isDuplicate()) {
                results.add(Result.DUPLICATE);
            } else {
                enqueue(result.id(), messages.get(i), sessionKeys.get(i), false);
                results.add(Result.ACCEPTED);
            }
        }
        return results;
    }

    private static String describe(List<InboundMessage> messages) {
        return messages.size() == 1 ? messages.get(0).toString() : messages.size() + " messages";
    }

    /**
     * Queues a stored message's turn once. {@code recovered}: read back at start, so it is checked
     * for an answer again on its lane (a fresh one was unanswered the instant it was stored).
     */
    private void enqueue(long inboundId, InboundMessage message, String sessionKey, boolean recovered) {
        if (!queued.add(inboundId)) {
            return;
        }
        if (!queue.submit(sessionKey, () -> answer(inboundId, message, sessionKey, recovered))) {
            queued.remove(inboundId); // closing: stays unanswered, answered after restart
        }
    }

    /** One turn; runs on the conversation's queue. */
    private void answer(long inboundId, InboundMessage message, String sessionKey, boolean recovered) {
        MDC.put("channel", message.channelId());
        MDC.put("account", message.accountId());
        MDC.put("session", sessionKey);
        ScheduledFuture<?> typingTimer = null;
        try {
            if (recovered
                    && store.inbound().find(inboundId).map(InboundRow::answered).orElse(true)) {
                return;
            }
            typingTimer = startTyping(message);
            OutboundMessage[] reply = new OutboundMessage[1];
            long[] rowId = new long[1];
            Optional<TurnOutcome> outcome = turn(
                    sessionKey,
                    message.text(),
                    UUID.randomUUID().toString(),
                    delta -> {},
                    TurnControl.started(),
                    text -> {
                        reply[0] = new OutboundMessage(
                                message.conversationId(),
                                message.threadId(),
                                Optional.of(message.platformMessageId()),
                                text,
                                "reply-" + inboundId);
                        rowId[0] = store.outbox().enqueueReply(inboundId, reply[0]);
                    });
            if (outcome.isEmpty() || reply[0] == null) {
                return; // interrupted by close: answered after restart
            }
            // a fresh message's row is new; a recovered one's may be a row an earlier run stored
            Optional<OutboxRow> row = recovered
                    ? store.outbox().find(rowId[0]).filter(r -> r.status() == OutboxRow.Status.PENDING)
                    : Optional.of(OutboxRow.fresh(
                            rowId[0],
                            inboundId,
                            message.channelId(),
                            message.accountId(),
                            reply[0],
                            store.clock().instant()));
            row.ifPresent(onReply);
        } catch (RuntimeException e) {
            // the store failed: the message stays unanswered and is answered after a restart
            log.error("could not answer {}: {}", message, e.getMessage(), e);
        } finally {
            if (typingTimer != null) {
                typingTimer.cancel(false); // the reply is in the outbox (or the turn ended without one)
            }
            queued.remove(inboundId);
            MDC.remove("channel");
            MDC.remove("account");
            MDC.remove("session");
        }
    }

    /**
     * Shows the platform's typing indicator after {@link #typingDelay} and every {@link #typingInterval} on the shared
     * scheduler, never on the lane; null when no indicator is configured.
     */
    private ScheduledFuture<?> startTyping(InboundMessage message) {
        ScheduledExecutorService timer = typingScheduler;
        if (timer == null) {
            return null;
        }
        Runnable show = () -> {
            try {
                typing.typing(message.channelId(), message.accountId(), message.conversationId(), message.threadId());
            } catch (RuntimeException e) {
                log.debug("typing indicator failed: {}", e.toString()); // best effort
            }
        };
        try {
            return timer.scheduleAtFixedRate(
                    show, typingDelay.toMillis(), typingInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // stopping
        }
    }

    /**
     * What one turn answered.
     *
     * @param text the reply, the apology when the agent failed, or empty text when aborted
     * @param kind whether it answered, failed (nothing appended) or was aborted (nothing appended)
     */
    record TurnOutcome(String text, Kind kind) {
        enum Kind {
            OK,
            FAILED,
            ABORTED
        }

        static TurnOutcome aborted() {
            return new TurnOutcome("", Kind.ABORTED);
        }
    }

    /**
     * Runs one turn of a session: {@code /new} or {@code /reset} starts a new session; anything else
     * runs the agent with the session's history and appends both turns, then trims the history to
     * {@code agent.history_limit} turns. Empty when interrupted. Call it on the session's queue only,
     * after {@link TurnControl#begin()}; an abort through {@code control} stores nothing.
     */
    Optional<TurnOutcome> turn(
            String sessionKey, String userText, String runId, Consumer<String> onDelta, TurnControl control) {
        return turn(sessionKey, userText, runId, onDelta, control, reply -> {});
    }

    /**
     * As above; {@code withReply} gets the reply (or the apology) inside the transaction that stores
     * the turn, so what it writes (a platform message's outbox row) is committed with the turn or not
     * at all: a crash never leaves a stored turn without its reply, which would answer it twice.
     */
    Optional<TurnOutcome> turn(
            String sessionKey,
            String userText,
            String runId,
            Consumer<String> onDelta,
            TurnControl control,
            Consumer<String> withReply) {
        String text = userText.strip();
        if (text.equals("/new") || text.equals("/reset")) {
            if (!control.commit()) {
                return Optional.of(TurnOutcome.aborted());
            }
            store.atomically("reset " + sessionKey, () -> {
                store.sessions().reset(sessionKey);
                withReply.accept(NEW_SESSION_REPLY);
                return null;
            });
            return Optional.of(new TurnOutcome(NEW_SESSION_REPLY, TurnOutcome.Kind.OK));
        }
        record Context(SessionRow session, List<ChatMessage> history) {}
        Context context = store.atomically("read session " + sessionKey, () -> {
            SessionRow current = store.sessions().current(sessionKey);
            return new Context(
                    current,
                    store.sessions().history(current.id(), historyLimit).stream()
                            .map(ReplyLoop::chatMessage)
                            .toList());
        });
        SessionRow session = context.session();
        List<ChatMessage> history = context.history();
        AgentRequest request = AgentRequest.of(runId, sessionKey, userText)
                .withHistory(history)
                .withOnDelta(delta -> {
                    if (!control.aborted()) {
                        onDelta.accept(delta);
                    }
                });
        if (systemPrompt.isPresent()) {
            request = request.withSystemPrompt(systemPrompt.get());
        }
        MDC.put("runId", runId);
        AgentRun run = null;
        try {
            run = agent.run(request);
            control.attach(run);
            String answer = run.result()
                    .get(AGENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .text();
            MDC.remove("runId");
            if (!control.commit()) {
                return Optional.of(TurnOutcome.aborted());
            }
            store.atomically("store turn of " + sessionKey, () -> {
                store.sessions().appendTurn(session.id(), Turn.Role.USER, userText);
                store.sessions().appendTurn(session.id(), Turn.Role.ASSISTANT, answer);
                store.sessions().trim(session.id(), historyLimit);
                withReply.accept(answer);
                return null;
            });
            return Optional.of(new TurnOutcome(answer, TurnOutcome.Kind.OK));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (run != null) {
                run.abort();
            }
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (run != null) {
                run.abort();
            }
            if (control.aborted()) {
                return Optional.of(TurnOutcome.aborted());
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String apology = AgentFailures.apology(cause, AgentFailures.newReferenceId());
            withReply.accept(apology);
            return Optional.of(new TurnOutcome(apology, TurnOutcome.Kind.FAILED));
        } finally {
            MDC.remove("runId");
        }
    }

    /** Queues {@code task} on the session's serial lane; false when closing. */
    boolean submit(String sessionKey, Runnable task) {
        return !closed && queue.submit(sessionKey, task);
    }

    /** Protocol runs ({@code chat.send}, {@code agent}) on this loop's queues, agent and store. */
    public ProtocolRuns runs() {
        return runs;
    }

    /** Protocol chats ({@code chat.send}) on this loop's queues, agent and store. */
    public WebChat webChat() {
        return webChat;
    }

    Store store() {
        return store;
    }

    private static ChatMessage chatMessage(Turn turn) {
        return switch (turn.role()) {
            case SYSTEM -> ChatMessage.system(turn.content());
            case USER -> ChatMessage.user(turn.content());
            case ASSISTANT -> ChatMessage.assistant(turn.content());
        };
    }

    /**
     * Stops taking messages and lets running turns finish for the close grace; what is left stays
     * unanswered in the store. Does not close the store.
     */
    @Override
    public void close() {
        closed = true;
        queue.close(closeGrace);
    }
}
