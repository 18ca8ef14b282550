package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Replica membership and account leases (docs/cluster.md). Every expiry is computed from the
 * database's clock, in the statement that writes it, so replicas on hosts with skewed clocks still
 * agree on who is alive and who owns what.
 */
public final class LeaseRepository {
    /** How long a dead replica's row stays listed (as expired) before it is deleted. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final Store store;

    LeaseRepository(Store store) {
        this.store = store;
    }

    /** One replica's membership row. */
    public record Member(String replicaId, String url, long startedAt, long heartbeatAt, long expiresAt) {
        public Member {
            requireNonNull(replicaId, "replicaId is null");
            requireNonNull(url, "url is null");
        }
    }

    /** One account's lease row; {@code owner} empty once released. */
    public record Lease(String channel, String account, Optional<String> owner, long token, long expiresAt) {
        public Lease {
            requireNonNull(channel, "channel is null");
            requireNonNull(account, "account is null");
            requireNonNull(owner, "owner is null");
        }
    }

    /**
     * Writes this replica's heartbeat (creating its row on the first), forgets replicas dead for an
     * hour, and returns every member row with the database's clock now.
     */
    public Members heartbeat(String replicaId, String url, Duration ttl) {
        requireNonNull(replicaId, "replicaId is null");
        requireNonNull(url, "url is null");
        String now = store.dialect().nowMillis();
        return store.transaction("cluster heartbeat of " + replicaId, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cluster_member (replica_id, url, started_at,"
                    + " heartbeat_at, expires_at) VALUES (?, ?, " + now + ", " + now + ", " + now + " + ?)"
                    + " ON CONFLICT (replica_id) DO UPDATE SET url = excluded.url,"
                    + " heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at")) {
                ps.setString(1, replicaId);
                ps.setString(2, url);
                ps.setLong(3, ttl.toMillis());
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM cluster_member WHERE expires_at < " + now + " - ?")) {
                ps.setLong(1, FORGET_AFTER.toMillis());
                ps.executeUpdate();
            }
            return readMembers(c, now);
        });
    }

    private static Members readMembers(Connection c, String now) throws SQLException {
        List<Member> members = new ArrayList<>();
        long dbNow = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT replica_id, url, started_at, heartbeat_at,"
                        + " expires_at, " + now + " AS db_now FROM cluster_member ORDER BY replica_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                members.add(new Member(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                dbNow = rs.getLong(6);
            }
        }
        return new Members(List.copyOf(members), dbNow);
    }

    /** Every member row with the database's clock now, read without writing a heartbeat. */
    public Members members() {
        String now = store.dialect().nowMillis();
        return store.transaction("read cluster members", c -> readMembers(c, now));
    }

    /**
     * The member rows as one heartbeat read them.
     *
     * @param dbNow the database's clock when they were read (epoch ms)
     */
    public record Members(List<Member> all, long dbNow) {
        public Members {
            all = List.copyOf(all);
        }

        /** The members whose heartbeat has not expired, by replica id. */
        public List<Member> live() {
            return all.stream().filter(m -> m.expiresAt() > dbNow).toList();
        }
    }

    /** Removes a replica's membership row (it is leaving). */
    public void leave(String replicaId) {
        requireNonNull(replicaId, "replicaId is null");
        store.transaction("cluster leave of " + replicaId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM cluster_member WHERE replica_id = ?")) {
                ps.setString(1, replicaId);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Takes an account's lease for {@code replicaId} when it is free: never held, released, expired,
     * or held by this replica id already (a restart of it). The fencing token goes up by one at
     * every acquisition. Empty while another replica holds it.
     */
    public OptionalLong acquire(String channel, String account, String replicaId, Duration ttl) {
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
        requireNonNull(replicaId, "replicaId is null");
        String now = store.dialect().nowMillis();
        return store.transaction("acquire lease of " + channel + "." + account, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO account_lease (channel, account, owner, token,"
                    + " acquired_at, expires_at) VALUES (?, ?, ?, 1, " + now + ", " + now + " + ?)"
                    + " ON CONFLICT (channel, account) DO UPDATE SET owner = excluded.owner,"
                    + " token = account_lease.token + 1, acquired_at = excluded.acquired_at,"
                    + " expires_at = excluded.expires_at"
                    + " WHERE account_lease.owner IS NULL OR account_lease.owner = excluded.owner"
                    + " OR account_lease.expires_at <= excluded.acquired_at"
                    + " RETURNING token")) {
                ps.setString(1, channel);
                ps.setString(2, account);
                ps.setString(3, replicaId);
                ps.setLong(4, ttl.toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    /**
     * Extends a held lease by {@code ttl} from the database's now. False when the fence is no longer
     * current (another replica took the account): the caller lost it.
     */
    public boolean renew(String channel, String account, Fence fence, Duration ttl) {
        requireNonNull(fence, "fence is null");
        String now = store.dialect().nowMillis();
        return update(
                "renew lease of " + channel + "." + account,
                "UPDATE account_lease SET expires_at = " + now
                        + " + ? WHERE channel = ? AND account = ? AND owner = ? AND token = ?",
                ps -> {
                    ps.setLong(1, ttl.toMillis());
                    ps.setString(2, channel);
                    ps.setString(3, account);
                    fence.bind(ps, 4);
                });
    }

    /** Gives a held lease up, so the next owner need not wait for it to expire; false when no longer held. */
    public boolean release(String channel, String account, Fence fence) {
        requireNonNull(fence, "fence is null");
        return update(
                "release lease of " + channel + "." + account,
                "UPDATE account_lease SET owner = NULL, expires_at = 0"
                        + " WHERE channel = ? AND account = ? AND owner = ? AND token = ?",
                ps -> {
                    ps.setString(1, channel);
                    ps.setString(2, account);
                    fence.bind(ps, 3);
                });
    }

    /** Every lease row, by channel and account. */
    public List<Lease> leases() {
        return store.transaction("read leases", c -> {
            List<Lease> leases = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT channel, account, owner, token, expires_at"
                            + " FROM account_lease ORDER BY channel, account");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leases.add(new Lease(
                            rs.getString(1),
                            rs.getString(2),
                            Optional.ofNullable(rs.getString(3)),
                            rs.getLong(4),
                            rs.getLong(5)));
                }
            }
            return List.copyOf(leases);
        });
    }

    private boolean update(String what, String sql, Sql.Binder binder) {
        return Sql.updateOne(store, what, sql, binder);
    }
}
