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
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        store.transaction("write cursor " + channel + ":" + account + ":" + name, c -> {
            // INSERT ... ON CONFLICT DO UPDATE: the same upsert syntax in SQLite 3.24+ and PostgreSQL 9.5+.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO channel_cursor (channel, account, name,"
                    + " cursor_value, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, account, name)"
                    + " DO UPDATE SET cursor_value = excluded.cursor_value, updated_at = excluded.updated_at")) {
                ps.setString(1, channel);
                ps.setString(2, account);
                ps.setString(3, name);
                ps.setString(4, value);
                ps.setLong(5, store.clock().millis());
                return ps.executeUpdate();
            }
        });
    }
}
