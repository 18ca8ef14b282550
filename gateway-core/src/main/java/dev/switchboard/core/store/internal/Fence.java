package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A replica's hold on one account's lease (docs/cluster.md): a write made under a fence commits only
 * while the account's lease row still names this owner and token. Another replica that took the
 * account over raised the token, so a paused old owner's late writes match nothing.
 *
 * @param owner the replica id that holds the lease
 * @param token the fencing token it got when it acquired the lease
 */
public record Fence(String owner, long token) {
    public Fence {
        requireNonNull(owner, "owner is null");
    }

    /**
     * The SQL condition, with two parameters (owner, token) for {@link #bind}, that holds while this
     * fence is current for the account named by the SQL expressions {@code channel} and {@code account}.
     */
    static String condition(String channel, String account) {
        return "EXISTS (SELECT 1 FROM account_lease l WHERE l.channel = " + channel + " AND l.account = " + account
                + " AND l.owner = ? AND l.token = ?)";
    }

    /** How rows written under the fence name their writer ({@code written_by}, {@code delivered_by}): {@code owner#token}. */
    public String tag() {
        return owner + "#" + token;
    }

    /** Binds owner and token at {@code index} and {@code index + 1}; returns the next index. */
    int bind(PreparedStatement ps, int index) throws SQLException {
        ps.setString(index, owner);
        ps.setLong(index + 1, token);
        return index + 2;
    }
}
