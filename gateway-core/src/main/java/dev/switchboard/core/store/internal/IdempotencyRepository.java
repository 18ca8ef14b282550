package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency keys (SPEC §5.3): a repeated key within {@link #TTL} returns the first run, in flight or
 * finished, never a second run. A record is live while its run is in flight, however long that takes
 * (an agent turn may run for minutes), and while {@code now - createdAt < TTL}. Runs left in flight
 * by a stopped gateway are closed at the next start ({@link #abandonInFlight}).
 */
public final class IdempotencyRepository {
    /** How long a key is honoured. */
    public static final Duration TTL = Duration.ofMinutes(5);

    static final String COLUMNS = "idem_key, kind, run_id, created_at, completed_at, result_json";

    private final Store store;

    IdempotencyRepository(Store store) {
        this.store = store;
    }

    /** The live record of a key; finished records older than {@link #TTL} are ignored. */
    public Optional<IdempotencyRecord> find(String key, Instant now) {
        requireNonNull(key, "key is null");
        requireNonNull(now, "now is null");
        return store.transaction("find idempotency key", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM idempotency WHERE idem_key = ?"
                    + " AND (created_at > ? OR completed_at IS NULL)")) {
                ps.setString(1, key);
                ps.setLong(2, expiredAtOrBefore(now));
                return record(ps);
            }
        });
    }

    /**
     * The record of a run ({@code agent.wait}), expired or not, until the purge deletes it; the newest
     * when several keys name the run.
     */
    public Optional<IdempotencyRecord> findByRunId(String runId) {
        requireNonNull(runId, "runId is null");
        return store.transaction("find run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM idempotency WHERE run_id = ? ORDER BY created_at DESC LIMIT 1")) {
                ps.setString(1, runId);
                return record(ps);
            }
        });
    }

    static Optional<IdempotencyRecord> record(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new IdempotencyRecord(
                    rs.getString("idem_key"),
                    rs.getString("kind"),
                    rs.getString("run_id"),
                    Sql.instant(rs, "created_at"),
                    Sql.optionalInstant(rs, "completed_at"),
                    Sql.text(rs, "result_json")));
        }
    }

    /**
     * Claims a key for a run: true when this caller now owns it, false when a live record holds it
     * (then {@link #find} tells what to return). An expired record of the key is replaced.
     */
    public boolean claim(String key, String kind, String runId, Instant now) {
        requireNonNull(key, "key is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(now, "now is null");
        return store.transaction("claim idempotency key", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM idempotency WHERE idem_key = ? AND created_at <= ?"
                            + " AND completed_at IS NOT NULL")) {
                ps.setString(1, key);
                ps.setLong(2, expiredAtOrBefore(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency (idem_key, kind, run_id,"
                    + " created_at) VALUES (?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING")) {
                ps.setString(1, key);
                ps.setString(2, kind);
                ps.setString(3, runId);
                ps.setLong(4, now.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Records the final result of a key's run; false when the key holds no record of that run. */
    public boolean complete(String key, String runId, String resultJson) {
        requireNonNull(key, "key is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(resultJson, "resultJson is null");
        return store.transaction("complete idempotency key", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE idempotency SET result_json = ?, completed_at = ?"
                    + " WHERE idem_key = ? AND run_id = ?")) {
                ps.setString(1, resultJson);
                ps.setLong(2, store.clock().millis());
                ps.setString(3, key);
                ps.setString(4, runId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Closes every record still in flight with {@code resultJson}: at start, no run of an earlier
     * gateway is running any more. Returns how many.
     */
    public int abandonInFlight(String resultJson) {
        requireNonNull(resultJson, "resultJson is null");
        return store.transaction("close abandoned runs", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE idempotency SET result_json = ?, completed_at = ? WHERE completed_at IS NULL")) {
                ps.setString(1, resultJson);
                ps.setLong(2, store.clock().millis());
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes finished records older than {@link #TTL}; returns how many. */
    public int purgeExpired(Instant now) {
        requireNonNull(now, "now is null");
        return store.transaction("purge idempotency keys", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM idempotency WHERE created_at <= ? AND completed_at IS NOT NULL")) {
                ps.setLong(1, expiredAtOrBefore(now));
                return ps.executeUpdate();
            }
        });
    }

    static long expiredAtOrBefore(Instant now) {
        return now.minus(TTL).toEpochMilli();
    }
}
