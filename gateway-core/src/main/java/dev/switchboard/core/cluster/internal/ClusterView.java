package dev.switchboard.core.cluster.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.store.internal.LeaseRepository;
import dev.switchboard.protocol.Cluster;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as one replica last read it (status and health show it; reading it touches no
 * database).
 *
 * @param replicaId this replica
 * @param members every membership row, live or expired
 * @param leases every account lease row
 * @param dbNow the database's clock at the read (epoch ms): a row is live while its expiry is later
 * @param error why the last read failed, when it did (the view is then the one before)
 */
public record ClusterView(
        String replicaId,
        List<LeaseRepository.Member> members,
        List<LeaseRepository.Lease> leases,
        long dbNow,
        Optional<String> error) {
    public ClusterView {
        requireNonNull(replicaId, "replicaId is null");
        members = List.copyOf(members);
        leases = List.copyOf(leases);
        requireNonNull(error, "error is null");
    }

    static ClusterView empty(String replicaId) {
        return new ClusterView(replicaId, List.of(), List.of(), 0, Optional.empty());
    }

    ClusterView failed(String why) {
        return new ClusterView(replicaId, members, leases, dbNow, Optional.of(why));
    }

    /** As {@code status} and {@code health} show it. */
    public Cluster toWire() {
        return new Cluster(
                replicaId,
                members.stream()
                        .map(m -> new Cluster.Member(
                                m.replicaId(), m.url(), m.expiresAt() > dbNow, m.heartbeatAt(), m.expiresAt()))
                        .toList(),
                leases.stream()
                        .map(l -> new Cluster.Lease(
                                l.channel(),
                                l.account(),
                                l.owner(),
                                l.token(),
                                l.owner().isPresent() && l.expiresAt() > dbNow,
                                l.expiresAt()))
                        .toList(),
                error);
    }

    /** The live member that holds the account's unexpired lease, if any. */
    public Optional<LeaseRepository.Member> owner(String channel, String account) {
        return leases.stream()
                .filter(l -> l.channel().equals(channel) && l.account().equals(account) && l.expiresAt() > dbNow)
                .flatMap(l -> l.owner().stream())
                .flatMap(owner -> members.stream().filter(m -> m.replicaId().equals(owner)))
                .filter(m -> m.expiresAt() > dbNow)
                .findFirst();
    }
}
