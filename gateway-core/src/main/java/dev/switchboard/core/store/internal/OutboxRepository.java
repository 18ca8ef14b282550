package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.OutboundMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outbox: every reply and proactive send, durable until delivered or failed (SPEC §6). A row is
 * pending until the sender marks it delivered or failed; retries move its next attempt forward.
 */
public final class OutboxRepository {
    private static final String COLUMNS = "id, inbound_id, channel, account, conversation, thread, reply_to, text,"
            + " idempotency_key, status, attempts, next_attempt_at, last_error, created_at, finished_at";

    private final Store store;

    OutboxRepository(Store store) {
        this.store = store;
    }

    /**
     * Puts the reply to an inbound message in the outbox and marks that message answered, in one
     * transaction. Exactly one row per inbound message: when it already has one, that row's id is
     * returned and nothing changes.
     *
     * @throws IllegalArgumentException when no inbound message has that id
     */
    public long enqueueReply(long inboundId, OutboundMessage message) {
        requireNonNull(message, "message is null");
        return store.transaction("enqueue reply to inbound " + inboundId, c -> {
            InboundRow inbound = InboundRepository.find(c, inboundId)
                    .orElseThrow(() -> new IllegalArgumentException("no inbound message with id " + inboundId));
            long now = store.clock().millis();
            long id;
            try (PreparedStatement ps = c.prepareStatement(insert("ON CONFLICT (inbound_id) DO NOTHING"))) {
                bind(
                        ps,
                        OptionalLong.of(inboundId),
                        inbound.message().channelId(),
                        inbound.message().accountId(),
                        message,
                        now);
                Optional<Long> inserted = Sql.returnedId(ps);
                id = inserted.isPresent()
                        ? inserted.get()
                        : idBy(c, "inbound_id = ?", ps2 -> ps2.setLong(1, inboundId));
            }
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE inbound SET answered_at = ? WHERE id = ? AND answered_at IS NULL")) {
                ps.setLong(1, now);
                ps.setLong(2, inboundId);
                ps.executeUpdate();
            }
            return id;
        });
    }

    /**
     * Puts a proactive message (protocol {@code send}) in the outbox. Unique on the message's
     * idempotency key within the account: a repeated key returns the existing row's id.
     */
    public long enqueue(OutboundMessage message, String channel, String account) {
        requireNonNull(message, "message is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
        return store.transaction("enqueue send " + message, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement(insert("ON CONFLICT (channel, account, idempotency_key) DO NOTHING"))) {
                bind(
                        ps,
                        OptionalLong.empty(),
                        channel,
                        account,
                        message,
                        store.clock().millis());
                Optional<Long> inserted = Sql.returnedId(ps);
                if (inserted.isPresent()) {
                    return inserted.get();
                }
            }
            return idBy(c, "channel = ? AND account = ? AND idempotency_key = ?", ps -> {
                ps.setString(1, channel);
                ps.setString(2, account);
                ps.setString(3, message.idempotencyKey());
            });
        });
    }

    /**
     * What {@link #enqueueSend} did.
     *
     * @param id the outbox row
     * @param repeated true when a live claim of the key already named this row (nothing was written)
     */
    public record Queued(long id, boolean repeated) {}

    /**
     * Puts a proactive message (protocol {@code send}) in the outbox once per idempotency claim: in one
     * transaction, a live ({@link IdempotencyRepository#TTL}) claim of {@code claimKey} returns the row
     * it names; otherwise the row is written and the claim recorded as completed with the row id, so
     * a crash can never leave a claim without its row.
     */
    public Queued enqueueSend(String claimKey, OutboundMessage message, String channel, String account) {
        requireNonNull(claimKey, "claimKey is null");
        requireNonNull(message, "message is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
        return store.transaction("enqueue send " + message, c -> {
            long now = store.clock().millis();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + IdempotencyRepository.COLUMNS
                    + " FROM idempotency WHERE idem_key = ? AND created_at > ?")) {
                ps.setString(1, claimKey);
                ps.setLong(
                        2, IdempotencyRepository.expiredAtOrBefore(store.clock().instant()));
                Optional<IdempotencyRecord> live = IdempotencyRepository.record(ps);
                if (live.isPresent()) {
                    return new Queued(Long.parseLong(live.get().runId()), true);
                }
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement(insert(""))) {
                bind(ps, OptionalLong.empty(), channel, account, message, now);
                id = Sql.returnedId(ps).orElseThrow(() -> new SQLException("outbox insert returned no id"));
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency WHERE idem_key = ?")) {
                ps.setString(1, claimKey); // an expired claim of the key
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency (idem_key, kind, run_id,"
                    + " created_at, completed_at, result_json) VALUES (?, 'send', ?, ?, ?, ?)")) {
                ps.setString(1, claimKey);
                ps.setString(2, Long.toString(id));
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.setString(5, "{\"id\":" + id + "}");
                ps.executeUpdate();
            }
            return new Queued(id, false);
        });
    }

    /**
     * Deletes delivered and failed rows that finished before {@code cutoff}; pending rows are never
     * deleted. Returns how many were deleted.
     */
    public int purgeFinished(Instant cutoff) {
        requireNonNull(cutoff, "cutoff is null");
        return store.transaction("purge finished outbox rows", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM outbox WHERE status <> 'pending' AND finished_at < ?")) {
                ps.setLong(1, cutoff.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Pending rows due at {@code now}, oldest first. The sender keeps per-conversation order by
     * sending at most one row per {@link OutboxRow#conversation()} at a time.
     */
    public List<OutboxRow> due(Instant now, int limit) {
        requireNonNull(now, "now is null");
        Sql.requireLimit(limit);
        return store.transaction("list due outbox rows", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, limit);
                return rows(ps);
            }
        });
    }

    /** How many rows are pending (the send backlog), due or not. */
    public long pendingCount() {
        return store.transaction("count pending outbox rows", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE status = 'pending'");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Every pending row, oldest first, due or not: what a restart must still send. */
    public List<OutboxRow> pending() {
        return store.transaction("list pending outbox rows", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE status = 'pending' ORDER BY id")) {
                return rows(ps);
            }
        });
    }

    /**
     * Pending rows with an id above {@code afterId}, oldest first: what was enqueued since the sender
     * last looked (ids grow in commit order on SQLite, where one connection writes).
     */
    public List<OutboxRow> pendingAfter(long afterId) {
        return store.transaction("list new outbox rows", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM outbox WHERE status = 'pending' AND id > ? ORDER BY id")) {
                ps.setLong(1, afterId);
                return rows(ps);
            }
        });
    }

    public Optional<OutboxRow> find(long id) {
        return store.transaction("find outbox row " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE id = ?")) {
                ps.setLong(1, id);
                List<OutboxRow> rows = rows(ps);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
            }
        });
    }

    /** Marks a pending row delivered; false when the row is not pending (already finished or unknown). */
    public boolean markDelivered(long id, Instant deliveredAt) {
        return markDelivered(id, deliveredAt, Optional.empty());
    }

    /**
     * Marks a pending row delivered under a lease's fence (docs/cluster.md): false too when {@code
     * fence} is no longer current for the row's account, so a replica that lost the account records
     * nothing and the new owner resends.
     */
    public boolean markDelivered(long id, Instant deliveredAt, Optional<Fence> fence) {
        requireNonNull(deliveredAt, "deliveredAt is null");
        return update(
                "mark outbox row " + id + " delivered",
                "UPDATE outbox SET status = 'delivered', finished_at = ?, delivered_by = ?"
                        + " WHERE id = ? AND status = 'pending'" + fenced(fence),
                ps -> {
                    ps.setLong(1, deliveredAt.toEpochMilli());
                    ps.setString(2, fence.map(Fence::tag).orElse(null));
                    ps.setLong(3, id);
                    bindFence(ps, 4, fence);
                });
    }

    /**
     * Records a failed attempt of a pending row and when to try again: attempts + 1. False when the row
     * is not pending.
     */
    public boolean markRetry(long id, Instant nextAttemptAt, String error) {
        return markRetry(id, nextAttemptAt, error, Optional.empty());
    }

    /** As {@link #markRetry(long, Instant, String)}, only while {@code fence} is current. */
    public boolean markRetry(long id, Instant nextAttemptAt, String error, Optional<Fence> fence) {
        requireNonNull(nextAttemptAt, "nextAttemptAt is null");
        requireNonNull(error, "error is null");
        return update(
                "schedule retry of outbox row " + id,
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
                        + " WHERE id = ? AND status = 'pending'" + fenced(fence),
                ps -> {
                    ps.setLong(1, nextAttemptAt.toEpochMilli());
                    ps.setString(2, error);
                    ps.setLong(3, id);
                    bindFence(ps, 4, fence);
                });
    }

    /** Marks a pending row permanently failed (403 blocked, 400 bad chat) with the reason. */
    public boolean markFailed(long id, String reason) {
        return markFailed(id, reason, Optional.empty());
    }

    /** As {@link #markFailed(long, String)}, only while {@code fence} is current. */
    public boolean markFailed(long id, String reason, Optional<Fence> fence) {
        requireNonNull(reason, "reason is null");
        return update(
                "mark outbox row " + id + " failed",
                "UPDATE outbox SET status = 'failed', last_error = ?, finished_at = ? WHERE id = ? AND status = 'pending'"
                        + fenced(fence),
                ps -> {
                    ps.setString(1, reason);
                    ps.setLong(2, store.clock().millis());
                    ps.setLong(3, id);
                    bindFence(ps, 4, fence);
                });
    }

    private static String fenced(Optional<Fence> fence) {
        return fence.isPresent() ? " AND " + Fence.condition("outbox.channel", "outbox.account") : "";
    }

    private static void bindFence(PreparedStatement ps, int index, Optional<Fence> fence) throws SQLException {
        if (fence.isPresent()) {
            fence.get().bind(ps, index);
        }
    }

    // ------------------------------------------------------------------------------------ plumbing

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(String what, String sql, Binder binder) {
        return store.transaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static String insert(String onConflict) {
        return "INSERT INTO outbox (inbound_id, channel, account, conversation, thread, reply_to, text,"
                + " idempotency_key, status, attempts, next_attempt_at, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) " + onConflict + " RETURNING id";
    }

    private static void bind(
            PreparedStatement ps, OptionalLong inboundId, String channel, String account, OutboundMessage m, long now)
            throws SQLException {
        if (inboundId.isPresent()) {
            ps.setLong(1, inboundId.getAsLong());
        } else {
            ps.setNull(1, Types.BIGINT);
        }
        ps.setString(2, channel);
        ps.setString(3, account);
        ps.setString(4, m.conversationId());
        Sql.setText(ps, 5, m.threadId());
        Sql.setText(ps, 6, m.replyToPlatformMessageId());
        ps.setString(7, m.text());
        ps.setString(8, m.idempotencyKey());
        ps.setLong(9, now);
        ps.setLong(10, now);
    }

    private static long idBy(Connection c, String where, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM outbox WHERE " + where)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("outbox insert did nothing, yet no row matches " + where);
                }
                return rs.getLong(1);
            }
        }
    }

    private static List<OutboxRow> rows(PreparedStatement ps) throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long inbound = rs.getLong("inbound_id");
                OptionalLong inboundId = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(inbound);
                OutboundMessage message = new OutboundMessage(
                        rs.getString("conversation"),
                        Sql.text(rs, "thread"),
                        Sql.text(rs, "reply_to"),
                        rs.getString("text"),
                        rs.getString("idempotency_key"));
                rows.add(new OutboxRow(
                        rs.getLong("id"),
                        inboundId,
                        rs.getString("channel"),
                        rs.getString("account"),
                        message,
                        OutboxRow.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                        rs.getInt("attempts"),
                        Sql.instant(rs, "next_attempt_at"),
                        Sql.text(rs, "last_error"),
                        Sql.instant(rs, "created_at"),
                        Sql.optionalInstant(rs, "finished_at")));
            }
        }
        return List.copyOf(rows);
    }
}
