package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A cluster replica's view of the cluster ({@code status}, {@code health}; docs/cluster.md), as its
 * lease keeper last read it from the database (once a second).
 *
 * @param replicaId the replica that answers
 * @param members every replica with a membership row, live or expired
 * @param leases every account's lease
 * @param error why the last read failed (the rest is the read before), absent when it worked
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cluster(
        String replicaId,
        List<Member> members,
        List<Lease> leases,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> error) {
    public Cluster {
        requireNonNull(replicaId, "replicaId is null");
        members = List.copyOf(members);
        leases = List.copyOf(leases);
        requireNonNull(error, "error is null");
    }

    /**
     * One replica.
     *
     * @param url where the other replicas reach its control protocol
     * @param live whether its heartbeat has not expired
     * @param heartbeatAt its last heartbeat, epoch ms of the database's clock
     * @param expiresAt when it counts as dead without another heartbeat
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Member(String replicaId, String url, boolean live, long heartbeatAt, long expiresAt) {
        public Member {
            requireNonNull(replicaId, "replicaId is null");
            requireNonNull(url, "url is null");
        }
    }

    /**
     * One account's lease.
     *
     * @param owner the replica holding it ({@code null} on the wire once released)
     * @param token the fencing token of the current (or last) holder
     * @param held whether the lease is held now (an owner, not expired)
     * @param expiresAt when it expires without renewal, epoch ms of the database's clock
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Lease(
            String channel, String account, Optional<String> owner, long token, boolean held, long expiresAt) {
        public Lease {
            requireNonNull(channel, "channel is null");
            requireNonNull(account, "account is null");
            requireNonNull(owner, "owner is null");
        }
    }
}
