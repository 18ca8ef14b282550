package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.store.internal.AcceptResult;
import dev.switchboard.core.store.internal.InboundRow;
import dev.switchboard.core.store.internal.OutboxRow;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.OutboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The reply loop of SPEC §6, as the channels' {@link InboundSink}: stores each allowed inbound message
 * (dedup on channel, account and platform message id), answers it on its conversation's lane with a
 * {@link Turns turn}, and puts exactly one reply per message in the outbox. Messages accepted but not
 * answered before a crash or a close are answered by {@link #start(boolean)} of the next run.
 */
final class ReplyLoop implements InboundSink {
    private static final Logger log = LoggerFactory.getLogger(ReplyLoop.class);
    private static final int RECOVERY_BATCH = 10_000;
    /** What a repeat of a protocol run's key answers when the gateway stopped while it ran. */
    static final String ABANDONED_RUN =
            "{\"status\":\"error\",\"text\":\"the run did not finish: the gateway stopped while it ran\"}";

    private final Store store;
    private final ConversationQueue queue;
    private final Turns turns;
    private final ObjLongConsumer<OutboxRow> onReply;
    private final Optional<TypingIndicator> typing;
    /** Inbound ids queued or running, so recovery never queues a message twice. */
    private final Set<Long> queued = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    /**
     * @param onReply gets each reply's outbox row once it is committed, with the {@link System#nanoTime()}
     *     its message was accepted at ({@link OutboxSender#UNTIMED} for one accepted before a restart):
     *     hands it to the sender
     * @param typing the typing indicator of turns that run long; empty for none
     */
    ReplyLoop(
            Store store,
            ConversationQueue queue,
            Turns turns,
            ObjLongConsumer<OutboxRow> onReply,
            Optional<TypingIndicator> typing) {
        this.store = requireNonNull(store, "store is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.turns = requireNonNull(turns, "turns is null");
        this.onReply = requireNonNull(onReply, "onReply is null");
        this.typing = requireNonNull(typing, "typing is null");
    }

    /**
     * Queues every accepted-but-unanswered message (crash recovery). A cluster replica does not: the
     * other replicas are answering theirs, and it {@link #recover recovers} each account it takes.
     */
    void start(boolean soleGateway) {
        if (!soleGateway) {
            return;
        }
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
        unanswered.forEach(row -> enqueue(row.id(), row.message(), row.sessionKey(), OutboxSender.UNTIMED));
    }

    /**
     * Queues one account's messages accepted before {@code acceptedBefore} and still unanswered, that
     * no lane here holds: a replica that just took the account over answers what its previous owner
     * left (docs/cluster.md). A message answered meanwhile is skipped on its lane.
     */
    void recover(String channel, String account, Instant acceptedBefore) {
        List<InboundRow> unanswered = store.inbound().unanswered(channel, account, acceptedBefore, RECOVERY_BATCH);
        long taken = unanswered.stream()
                .filter(row -> enqueue(row.id(), row.message(), row.sessionKey(), OutboxSender.UNTIMED))
                .count();
        if (taken > 0) {
            log.info("{}.{}: answering {} message(s) left unanswered", channel, account, taken);
        }
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
        List<String> sessionKeys = messages.stream().map(SessionKeys::of).toList();
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
        long acceptedAt = System.nanoTime();
        List<Result> results = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            AcceptResult result = stored.get(i);
            if (result.isDuplicate()) {
                results.add(Result.DUPLICATE);
            } else {
                enqueue(result.id(), messages.get(i), sessionKeys.get(i), acceptedAt);
                results.add(Result.ACCEPTED);
            }
        }
        return results;
    }

    private static String describe(List<InboundMessage> messages) {
        return messages.size() == 1 ? messages.get(0).toString() : messages.size() + " messages";
    }

    /**
     * Queues a stored message's turn once; false when it was queued already (or the loop is closing). {@code acceptedAt}: the {@link System#nanoTime()} of its
     * accept, or {@link OutboxSender#UNTIMED} when it was read back at start (it is then checked for an
     * answer again on its lane; a fresh one was unanswered the instant it was stored).
     */
    private boolean enqueue(long inboundId, InboundMessage message, String sessionKey, long acceptedAt) {
        if (!queued.add(inboundId)) {
            return false;
        }
        if (!queue.submit(sessionKey, () -> answer(inboundId, message, sessionKey, acceptedAt))) {
            queued.remove(inboundId); // closing: stays unanswered, answered after restart
            return false;
        }
        return true;
    }

    /** One turn; runs on the conversation's queue. */
    private void answer(long inboundId, InboundMessage message, String sessionKey, long acceptedAt) {
        boolean recovered = acceptedAt == OutboxSender.UNTIMED;
        MDC.put("channel", message.channelId());
        MDC.put("account", message.accountId());
        MDC.put("session", sessionKey);
        Optional<ScheduledFuture<?>> typingTimer = Optional.empty();
        try {
            if (recovered
                    && store.inbound().find(inboundId).map(InboundRow::answered).orElse(true)) {
                return;
            }
            typingTimer = typing.flatMap(indicator -> indicator.begin(message));
            OutboundMessage[] reply = new OutboundMessage[1];
            long[] rowId = new long[1];
            Optional<Turns.Outcome> outcome = turns.run(
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
            if (row.isPresent()) {
                onReply.accept(row.get(), acceptedAt);
            }
        } catch (RuntimeException e) {
            // the store failed: the message stays unanswered and is answered after a restart
            log.error("could not answer {}: {}", message, e.getMessage(), e);
        } finally {
            // the reply is in the outbox (or the turn ended without one)
            typingTimer.ifPresent(timer -> timer.cancel(false));
            queued.remove(inboundId);
            MDC.remove("channel");
            MDC.remove("account");
            MDC.remove("session");
        }
    }

    /** Stops taking messages (the queue's close lets running turns finish); what is left stays unanswered. */
    void close() {
        closed = true;
    }
}
