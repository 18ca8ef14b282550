package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The agent heartbeat schedule's one row ({@code heartbeat_state}): a scheduled slot is claimed
 * here before its run starts, so a slot never runs twice, not even across a crash or on replicas
 * sharing the store.
 */
public final class HeartbeatRepository {
    /** The status of a run that has not ended; left so by a gateway that stopped during it. */
    public static final String RUNNING = "running";

    private static final String NAME = "main";
    private static final String COLUMNS =
            "enabled, last_slot, last_run_id, last_status, last_at, last_delivered," + " next_at, wake_text";

    private final Store store;

    HeartbeatRepository(Store store) {
        this.store = store;
    }

    /** The state; {@link HeartbeatRow#NONE} before anything was recorded. */
    public HeartbeatRow read() {
        return store.transaction("read heartbeat state", HeartbeatRepository::read);
    }

    /**
     * Claims the scheduled {@code slot} (epoch ms) unless it or a later one was claimed, taking the
     * queued wake text with it; {@link #started} then names the run.
     *
     * @return the claimed state's wake text (possibly empty), or empty when the slot was taken
     */
    public Optional<Optional<String>> claimSlot(long slot) {
        return store.transaction("claim heartbeat slot " + slot, c -> {
            ensureRow(c);
            Optional<String> wake = read(c).wakeText();
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE heartbeat_state SET last_slot = ?, last_run_id = NULL,"
                            + " last_status = ?, last_at = ?, last_delivered = 0, wake_text = NULL"
                            + " WHERE name = ? AND last_slot < ?")) {
                ps.setLong(1, slot);
                ps.setString(2, RUNNING);
                ps.setLong(3, store.clock().millis());
                ps.setString(4, NAME);
                ps.setLong(5, slot);
                return ps.executeUpdate() == 1 ? Optional.of(wake) : Optional.<Optional<String>>empty();
            }
        });
    }

    /**
     * A run left {@code running} by a gateway that stopped during it ends now: {@code ok} and
     * delivered when its answer reached the outbox ({@code outboxKey} names the row it would have),
     * else {@code error}. Returns the state after, when there was such a run.
     */
    public Optional<HeartbeatRow> recoverInterrupted(Function<String, String> outboxKey) {
        requireNonNull(outboxKey, "outboxKey is null");
        return store.transaction("recover heartbeat run", c -> {
            HeartbeatRow row = read(c);
            if (!row.lastStatus().equals(Optional.of(RUNNING))) {
                return Optional.<HeartbeatRow>empty();
            }
            boolean delivered = false;
            if (row.lastRunId().isPresent()) {
                try (PreparedStatement ps =
                        c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE idempotency_key = ?")) {
                    ps.setString(1, outboxKey.apply(row.lastRunId().get()));
                    try (ResultSet rs = ps.executeQuery()) {
                        delivered = rs.next() && rs.getLong(1) > 0;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE heartbeat_state SET last_status = ?," + " last_delivered = ? WHERE name = ?")) {
                ps.setString(1, delivered ? "ok" : "error");
                ps.setInt(2, delivered ? 1 : 0);
                ps.setString(3, NAME);
                ps.executeUpdate();
            }
            return Optional.of(read(c));
        });
    }

    /** Records run {@code runId} as the latest, running (a claimed slot's, or a {@code wake} now). */
    public void started(String runId) {
        requireNonNull(runId, "runId is null");
        store.transaction("start heartbeat run " + runId, c -> {
            ensureRow(c);
            try (PreparedStatement ps = c.prepareStatement("UPDATE heartbeat_state SET last_run_id = ?,"
                    + " last_status = ?, last_at = ?, last_delivered = 0 WHERE name = ?")) {
                ps.setString(1, runId);
                ps.setString(2, RUNNING);
                ps.setLong(3, store.clock().millis());
                ps.setString(4, NAME);
                return ps.executeUpdate();
            }
        });
    }

    /** Records how run {@code runId} ended, unless a later run has been recorded since. */
    public void finish(String runId, String status, boolean delivered) {
        requireNonNull(runId, "runId is null");
        requireNonNull(status, "status is null");
        store.transaction("finish heartbeat run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE heartbeat_state SET last_status = ?, last_at = ?,"
                    + " last_delivered = ? WHERE name = ? AND last_run_id = ?")) {
                ps.setString(1, status);
                ps.setLong(2, store.clock().millis());
                ps.setInt(3, delivered ? 1 : 0);
                ps.setString(4, NAME);
                ps.setString(5, runId);
                return ps.executeUpdate();
            }
        });
    }

    /** Records when the next scheduled run is due; empty while heartbeats are off. */
    public void nextAt(OptionalLong nextAt) {
        requireNonNull(nextAt, "nextAt is null");
        update("record next heartbeat", "next_at", nextAt.isPresent() ? nextAt.getAsLong() : null);
    }

    /** {@code set-heartbeats}: on, off, or empty to follow the config again. */
    public void enabled(Optional<Boolean> enabled) {
        requireNonNull(enabled, "enabled is null");
        update("switch heartbeats", "enabled", enabled.map(on -> on ? 1L : 0L).orElse(null));
    }

    /** Queues {@code text} for the next scheduled run, after any text queued before it. */
    public void queueWake(String text) {
        requireNonNull(text, "text is null");
        store.transaction("queue heartbeat wake", c -> {
            ensureRow(c);
            Optional<String> queued = read(c).wakeText();
            try (PreparedStatement ps = c.prepareStatement("UPDATE heartbeat_state SET wake_text = ? WHERE name = ?")) {
                ps.setString(1, queued.map(before -> before + "\n" + text).orElse(text));
                ps.setString(2, NAME);
                return ps.executeUpdate();
            }
        });
    }

    private void update(String what, String column, @Nullable Long value) {
        store.transaction(what, c -> {
            ensureRow(c);
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE heartbeat_state SET " + column + " = ? WHERE name = ?")) {
                if (value == null) {
                    ps.setNull(1, Types.BIGINT);
                } else {
                    ps.setLong(1, value);
                }
                ps.setString(2, NAME);
                return ps.executeUpdate();
            }
        });
    }

    private static void ensureRow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO heartbeat_state (name, last_slot, last_delivered)"
                + " VALUES (?, 0, 0) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, NAME);
            ps.executeUpdate();
        }
    }

    private static HeartbeatRow read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM heartbeat_state WHERE name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return HeartbeatRow.NONE;
                }
                long enabled = rs.getLong(1);
                Optional<Boolean> switched = rs.wasNull() ? Optional.empty() : Optional.of(enabled == 1);
                long slot = rs.getLong(2);
                Optional<String> runId = Optional.ofNullable(rs.getString(3));
                Optional<String> status = Optional.ofNullable(rs.getString(4));
                long at = rs.getLong(5);
                OptionalLong lastAt = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(at);
                boolean delivered = rs.getLong(6) == 1;
                long next = rs.getLong(7);
                OptionalLong nextAt = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(next);
                Optional<String> wake = Optional.ofNullable(rs.getString(8));
                return new HeartbeatRow(switched, slot, runId, status, lastAt, delivered, nextAt, wake);
            }
        }
    }
}
