package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Named per-account positions in a platform's stream, such as Telegram's {@code getUpdates} offset
 * (SPEC §7), advanced only after the batch before it is durably accepted.
 */
public final class CursorRepository {
    private final Store store;

    CursorRepository(Store store) {
        this.store = store;
    }

    public Optional<String> get(String channel, String account, String name) {
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
        requireNonNull(name, "name is null");
        return store.transaction("read cursor " + channel + ":" + account + ":" + name, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT cursor_value FROM channel_cursor WHERE channel = ? AND account = ? AND name = ?")) {
                ps.setString(1, channel);
                ps.setString(2, account);
                ps.setString(3, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** Sets a cursor, creating it or replacing its value. */
    public void put(String channel, String account, String name, String value) {
        put(channel, account, name, value, Optional.empty());
    }

    /**
     * Sets a cursor under a lease's fence (docs/cluster.md): only while {@code fence} is current for
     * the account; without one, unconditionally (a single gateway).
     *
     * @throws LeaseLostException when the fence is no longer current: nothing was written
     */
    public void put(String channel, String account, String name, String value, Optional<Fence> fence) {
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        requireNonNull(fence, "fence is null");
        int written = store.transaction("write cursor " + channel + ":" + account + ":" + name, c -> {
            // INSERT ... ON CONFLICT DO UPDATE: the same upsert syntax in SQLite 3.24+ and PostgreSQL 9.5+;
            // the SELECT form carries the fence (its WHERE also settles SQLite's upsert parsing).
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO channel_cursor (channel, account, name,"
                    + " cursor_value, updated_at, written_by) SELECT ?, ?, ?, ?, ?, ? WHERE "
                    + (fence.isPresent() ? Fence.condition("?", "?") : "1 = 1")
                    + " ON CONFLICT (channel, account, name) DO UPDATE SET cursor_value = excluded.cursor_value,"
                    + " updated_at = excluded.updated_at, written_by = excluded.written_by")) {
                ps.setString(1, channel);
                ps.setString(2, account);
                ps.setString(3, name);
                ps.setString(4, value);
                ps.setLong(5, store.clock().millis());
                ps.setString(6, fence.map(Fence::tag).orElse(null));
                if (fence.isPresent()) {
                    ps.setString(7, channel);
                    ps.setString(8, account);
                    fence.get().bind(ps, 9);
                }
                return ps.executeUpdate();
            }
        });
        if (written == 0) {
            throw new LeaseLostException(channel + "." + account + ": lease lost (fencing token "
                    + fence.map(Fence::token).orElse(0L) + " is no longer current): cursor " + name + " not advanced");
        }
    }
}
