package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.OutboundMessage;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A message in the outbox.
 *
 * @param id row id; rows of one conversation are sent in id order
 * @param inboundId the inbound message this row answers; empty for a proactive send
 * @param channel channel id
 * @param account account id
 * @param message what to send
 * @param status pending, delivered or failed
 * @param attempts send attempts that failed and were scheduled for retry
 * @param nextAttemptAt when a pending row is next due
 * @param lastError the last retry error, or the reason a row failed
 * @param createdAt when the row was written
 * @param finishedAt when it was delivered or marked failed
 */
public record OutboxRow(
        long id,
        OptionalLong inboundId,
        String channel,
        String account,
        OutboundMessage message,
        Status status,
        int attempts,
        Instant nextAttemptAt,
        Optional<String> lastError,
        Instant createdAt,
        Optional<Instant> finishedAt) {
    /** Where a row is in its life. */
    public enum Status {
        PENDING,
        DELIVERED,
        FAILED
    }

    public OutboxRow {
        requireNonNull(inboundId, "inboundId is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
        requireNonNull(message, "message is null");
        requireNonNull(status, "status is null");
        requireNonNull(nextAttemptAt, "nextAttemptAt is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
    }

    /** A row as {@link OutboxRepository#enqueueReply} stores a new reply: pending, due at once. */
    public static OutboxRow fresh(
            long id, long inboundId, String channel, String account, OutboundMessage message, Instant at) {
        return new OutboxRow(
                id,
                OptionalLong.of(inboundId),
                channel,
                account,
                message,
                Status.PENDING,
                0,
                at,
                Optional.empty(),
                at,
                Optional.empty());
    }

    /**
     * The conversation this row goes to, {@code <channel>:<account>:<conversation>[:<thread>]}: the
     * sender keeps at most one row per conversation in flight, in id order, to keep per-chat order.
     */
    public String conversation() {
        return channel + ":" + account + ":" + message.conversationId()
                + message.threadId().map(t -> ":" + t).orElse("");
    }
}
