package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.InboundMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Accepted inbound messages: the durable accept and dedup of SPEC §6. A message is acknowledged to
 * its platform only after {@link #accept} returned.
 */
public final class InboundRepository {
    private static final String COLUMNS = "id, channel, account, platform_message_id, conversation, thread, sender,"
            + " text, session_key, received_at, accepted_at, answered_at";

    private final Store store;

    InboundRepository(Store store) {
        this.store = store;
    }

    /**
     * Stores a message under its dedup key (channel, account, platform message id). A message whose
     * key is already stored is not stored again: the result is {@code DUPLICATE} with the existing
     * row's id. Never throws for a duplicate.
     */
    public AcceptResult accept(InboundMessage message, String sessionKey) {
        requireNonNull(message, "message is null");
        requireNonNull(sessionKey, "sessionKey is null");
        return store.transaction("accept " + message, c -> {
            // ON CONFLICT ... DO NOTHING and RETURNING: same syntax in SQLite 3.35+ and PostgreSQL.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbound (channel, account,"
                    + " platform_message_id, conversation, thread, sender, text, session_key, received_at,"
                    + " accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (channel, account, platform_message_id) DO NOTHING RETURNING id")) {
                ps.setString(1, message.channelId());
                ps.setString(2, message.accountId());
                ps.setString(3, message.platformMessageId());
                ps.setString(4, message.conversationId());
                Sql.setText(ps, 5, message.threadId());
                ps.setString(6, message.senderId());
                ps.setString(7, message.text());
                ps.setString(8, sessionKey);
                ps.setLong(9, message.receivedAt().toEpochMilli());
                ps.setLong(10, store.clock().millis());
                Optional<Long> id = Sql.returnedId(ps);
                if (id.isPresent()) {
                    return AcceptResult.accepted(id.get());
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM inbound WHERE channel = ? AND account = ? AND platform_message_id = ?")) {
                ps.setString(1, message.channelId());
                ps.setString(2, message.accountId());
                ps.setString(3, message.platformMessageId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("insert of " + message + " did nothing, yet no row holds its key");
                    }
                    return AcceptResult.duplicate(rs.getLong(1));
                }
            }
        });
    }

    /**
     * Accepted messages with no reply in the outbox yet, oldest first: what a restart must answer.
     */
    public List<InboundRow> unanswered(int limit) {
        Sql.requireLimit(limit);
        return store.transaction("list unanswered inbound", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM inbound WHERE answered_at IS NULL ORDER BY id LIMIT ?")) {
                ps.setInt(1, limit);
                return rows(ps);
            }
        });
    }

    /** The oldest messages of one account accepted before {@code acceptedBefore} and not answered yet. */
    public List<InboundRow> unanswered(String channel, String account, Instant acceptedBefore, int limit) {
        Sql.requireLimit(limit);
        return store.transaction("list unanswered inbound of " + channel + "." + account, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM inbound WHERE answered_at IS NULL"
                            + " AND channel = ? AND account = ? AND accepted_at < ? ORDER BY id LIMIT ?")) {
                ps.setString(1, channel);
                ps.setString(2, account);
                ps.setLong(3, acceptedBefore.toEpochMilli());
                ps.setInt(4, limit);
                return rows(ps);
            }
        });
    }

    public Optional<InboundRow> find(long id) {
        return store.transaction("find inbound " + id, c -> find(c, id));
    }

    /**
     * Deletes messages answered before {@code cutoff} whose outbox row is gone (purged) or never
     * existed; a message whose reply is still pending stays. Returns how many were deleted.
     */
    public int purgeAnswered(Instant cutoff) {
        requireNonNull(cutoff, "cutoff is null");
        return store.transaction("purge answered inbound", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM inbound WHERE answered_at IS NOT NULL"
                            + " AND answered_at < ? AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.inbound_id = inbound.id)")) {
                ps.setLong(1, cutoff.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** Totals per (channel, account), ordered by channel then account. */
    public List<InboundCount> counts() {
        return store.transaction("count inbound", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT channel, account, COUNT(*) AS accepted,"
                            + " SUM(CASE WHEN answered_at IS NULL THEN 1 ELSE 0 END) AS unanswered"
                            + " FROM inbound GROUP BY channel, account ORDER BY channel, account");
                    ResultSet rs = ps.executeQuery()) {
                List<InboundCount> counts = new ArrayList<>();
                while (rs.next()) {
                    counts.add(new InboundCount(
                            rs.getString("channel"),
                            rs.getString("account"),
                            rs.getLong("accepted"),
                            rs.getLong("unanswered")));
                }
                return List.copyOf(counts);
            }
        });
    }

    static Optional<InboundRow> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbound WHERE id = ?")) {
            ps.setLong(1, id);
            List<InboundRow> rows = rows(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    private static List<InboundRow> rows(PreparedStatement ps) throws SQLException {
        List<InboundRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                InboundMessage message = new InboundMessage(
                        rs.getString("channel"),
                        rs.getString("account"),
                        rs.getString("conversation"),
                        Sql.text(rs, "thread"),
                        rs.getString("sender"),
                        rs.getString("platform_message_id"),
                        rs.getString("text"),
                        Sql.instant(rs, "received_at"));
                rows.add(new InboundRow(
                        rs.getLong("id"),
                        message,
                        rs.getString("session_key"),
                        Sql.instant(rs, "accepted_at"),
                        Sql.optionalInstant(rs, "answered_at")));
            }
        }
        return List.copyOf(rows);
    }
}
