package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Sessions and their history (SPEC §6). A session key ({@code <channel>:<account>:<conversation>[:<thread>]})
 * has one current session, created on first use; {@link #reset} ends it and starts another, whose
 * history starts empty. Turns of ended sessions are kept until trimmed.
 */
public final class SessionRepository {
    private static final String COLUMNS = "id, session_key, created_at, last_activity_at";

    private final Store store;

    SessionRepository(Store store) {
        this.store = store;
    }

    /** The current session of a key, created when the key has none. */
    public SessionRow current(String sessionKey) {
        requireKey(sessionKey);
        return store.transaction("open session " + sessionKey, c -> {
            Optional<SessionRow> existing = find(c, sessionKey);
            return existing.isPresent() ? existing.get() : create(c, sessionKey);
        });
    }

    /** The current session of a key, if it has one; creates nothing. */
    public Optional<SessionRow> find(String sessionKey) {
        requireKey(sessionKey);
        return store.transaction("find session " + sessionKey, c -> find(c, sessionKey));
    }

    /** Ends the key's current session (if any) and starts a new one: {@code /new}, {@code /reset}, {@code sessions.reset}. */
    public SessionRow reset(String sessionKey) {
        requireKey(sessionKey);
        return store.transaction("reset session " + sessionKey, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE chat_session SET ended_at = ? WHERE session_key = ? AND ended_at IS NULL")) {
                ps.setLong(1, store.clock().millis());
                ps.setString(2, sessionKey);
                ps.executeUpdate();
            }
            return create(c, sessionKey);
        });
    }

    /** Appends a turn and records the session's activity; returns the turn id. */
    public long appendTurn(long sessionId, Turn.Role role, String content) {
        requireNonNull(role, "role is null");
        requireNonNull(content, "content is null");
        return store.transaction("append turn to session " + sessionId, c -> {
            long now = store.clock().millis();
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE chat_session SET last_activity_at = ? WHERE id = ?")) {
                ps.setLong(1, now);
                ps.setLong(2, sessionId);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalArgumentException("no session with id " + sessionId);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO session_turn (session_id, role, content,"
                    + " created_at) VALUES (?, ?, ?, ?) RETURNING id")) {
                ps.setLong(1, sessionId);
                ps.setString(2, role.wireName());
                ps.setString(3, content);
                ps.setLong(4, now);
                return Sql.returnedId(ps).orElseThrow(() -> new SQLException("insert returned no id"));
            }
        });
    }

    /** The last {@code limitTurns} turns of a session, oldest first (the agent's context). */
    public List<Turn> history(long sessionId, int limitTurns) {
        Sql.requireLimit(limitTurns);
        return store.transaction("read history of session " + sessionId, c -> {
            List<Turn> turns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, session_id, role, content, created_at"
                    + " FROM session_turn WHERE session_id = ? ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, sessionId);
                ps.setInt(2, limitTurns);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        turns.add(turn(rs));
                    }
                }
            }
            Collections.reverse(turns);
            return List.copyOf(turns);
        });
    }

    /**
     * One page of a session's history (SPEC §5.4, {@code chat.history}): the turns older than {@code
     * beforeTurnId}, newest first, at most {@code maxTurns} of them, and only as many as start within
     * {@code maxBytes} of content (UTF-8): the turn that crosses the cap is the last one, so a page
     * always moves on however large one turn is. Sizes are summed in SQL over the ids and lengths of
     * at most {@code maxTurns} turns; no content past the page is read.
     */
    public TurnPage page(long sessionId, long beforeTurnId, int maxTurns, long maxBytes) {
        Sql.requireLimit(maxTurns);
        return store.transaction("read a history page of session " + sessionId, c -> {
            List<Turn> turns = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.session_id, t.role, t.content, t.created_at"
                    + " FROM session_turn t JOIN (SELECT id,"
                    + " SUM(size) OVER (ORDER BY id DESC ROWS UNBOUNDED PRECEDING) - size AS bytes_before"
                    + " FROM (SELECT id, octet_length(content) AS size FROM session_turn"
                    + " WHERE session_id = ? AND id < ? ORDER BY id DESC LIMIT ?) AS recent) AS page"
                    + " ON t.id = page.id WHERE page.bytes_before < ? ORDER BY t.id DESC")) {
                ps.setLong(1, sessionId);
                ps.setLong(2, beforeTurnId);
                ps.setInt(3, maxTurns);
                ps.setLong(4, maxBytes);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        turns.add(turn(rs));
                    }
                }
            }
            if (turns.isEmpty()) {
                return new TurnPage(turns, false);
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT 1 FROM session_turn WHERE session_id = ? AND id < ? LIMIT 1")) {
                ps.setLong(1, sessionId);
                ps.setLong(2, turns.get(turns.size() - 1).id());
                try (ResultSet rs = ps.executeQuery()) {
                    return new TurnPage(turns, rs.next());
                }
            }
        });
    }

    /** A page of turns, newest first, and whether the session has turns older than its last. */
    public record TurnPage(List<Turn> newestFirst, boolean more) {
        public TurnPage {
            newestFirst = List.copyOf(newestFirst);
        }
    }

    /** A session by id, current or ended. */
    public Optional<SessionRow> byId(long sessionId) {
        return store.transaction("find session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM chat_session WHERE id = ?")) {
                ps.setLong(1, sessionId);
                List<SessionRow> rows = rows(ps);
                return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
            }
        });
    }

    /**
     * Deletes a session's turns older than its newest {@code keepTurns}, so history stays bounded by
     * {@code agent.history_limit}; returns how many were deleted.
     */
    public int trim(long sessionId, int keepTurns) {
        Sql.requireLimit(keepTurns);
        return store.transaction("trim session " + sessionId, c -> {
            // The id of the newest turn that falls outside the cap; LIMIT/OFFSET rather than
            // DELETE ... LIMIT, which PostgreSQL lacks.
            long cutoff;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM session_turn WHERE session_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?")) {
                ps.setLong(1, sessionId);
                ps.setInt(2, keepTurns);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return 0;
                    }
                    cutoff = rs.getLong(1);
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM session_turn WHERE session_id = ? AND id <= ?")) {
                ps.setLong(1, sessionId);
                ps.setLong(2, cutoff);
                return ps.executeUpdate();
            }
        });
    }

    /** Every current session, most recently active first ({@code sessions.list}). */
    public List<SessionRow> list() {
        return store.transaction("list sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM chat_session WHERE ended_at IS NULL ORDER BY last_activity_at DESC, id DESC")) {
                return rows(ps);
            }
        });
    }

    private static void requireKey(String sessionKey) {
        requireNonNull(sessionKey, "sessionKey is null");
        if (sessionKey.isBlank()) {
            throw new IllegalArgumentException("sessionKey is blank (expected: <channel>:<account>:<conversation>)");
        }
    }

    private static Optional<SessionRow> find(Connection c, String sessionKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM chat_session WHERE session_key = ? AND ended_at IS NULL")) {
            ps.setString(1, sessionKey);
            List<SessionRow> rows = rows(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    private SessionRow create(Connection c, String sessionKey) throws SQLException {
        long now = store.clock().millis();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO chat_session (session_key, created_at,"
                + " last_activity_at) VALUES (?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setString(1, sessionKey);
            ps.setLong(2, now);
            ps.setLong(3, now);
            return rows(ps).get(0);
        }
    }

    /** A turn from columns id, session_id, role, content, created_at. */
    private static Turn turn(ResultSet rs) throws SQLException {
        // by index: this runs for every history turn of every agent turn
        return new Turn(
                rs.getLong(1),
                rs.getLong(2),
                Turn.Role.fromWireName(rs.getString(3)),
                rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)));
    }

    private static List<SessionRow> rows(PreparedStatement ps) throws SQLException {
        List<SessionRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new SessionRow(
                        rs.getLong("id"),
                        rs.getString("session_key"),
                        Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "last_activity_at")));
            }
        }
        return List.copyOf(rows);
    }
}
