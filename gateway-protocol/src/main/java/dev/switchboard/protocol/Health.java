package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The health snapshot: the answer of {@code health}, the payload of the {@code health} event and
 * {@code hello-ok.snapshot.health}.
 *
 * @param ok false when a part is not well: the store does not answer, or an account is not ready as
 *     {@code /readyz} counts it (starting, reconnecting, stopped, stalled; degraded without a reason)
 * @param ts when the snapshot was taken, epoch ms
 * @param uptimeMs since the gateway started
 * @param store the store's last trivial query; absent on a gateway that runs no reply loop
 * @param agent the agent provider; absent on a gateway that runs no reply loop
 * @param channels every running account
 * @param server the control server's counters, on gateways that report them
 * @param cluster the cluster, on a replica ({@code gateway.cluster.enabled}); {@code channels} then
 *     lists the accounts this replica holds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Health(
        boolean ok,
        long ts,
        long uptimeMs,
        String version,
        String instanceId,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Store> store,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Agent> agent,
        List<Channel> channels,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<ServerCounters> server,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Cluster> cluster) {
    public Health {
        requireNonNull(version, "version is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(store, "store is null");
        requireNonNull(agent, "agent is null");
        channels = List.copyOf(channels);
        requireNonNull(server, "server is null");
        requireNonNull(cluster, "cluster is null");
    }

    /**
     * The snapshot in plain JSON values ({@link PlainJson#read}) as {@link FrameCodec#json()} reads
     * it, without jackson-databind: unknown fields ignored, a missing or null optional value empty.
     *
     * @throws IllegalArgumentException naming the field, when {@code json} is not a health snapshot
     */
    public static Health fromPlain(Map<?, ?> json) {
        return PlainHealth.read(json);
    }

    /**
     * This snapshot as plain JSON values, which {@link PlainJson#pretty} prints exactly as {@link
     * FrameCodec#json()}'s pretty printer prints the record.
     */
    public Map<String, @Nullable Object> toPlain() {
        return PlainHealth.write(this);
    }

    /**
     * {@code store}: whether a trivial query answered and how fast.
     *
     * @param error why it did not answer
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Store(
            boolean ok, long latencyMs, @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> error) {
        public Store {
            requireNonNull(error, "error is null");
        }
    }

    /**
     * {@code agent}: the configured provider ({@code echo}, {@code openai}, ...).
     *
     * @param probe whether it answers; only with {@code health {probe:true}}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Agent(String provider, @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Probe> probe) {
        public Agent {
            requireNonNull(provider, "provider is null");
            requireNonNull(probe, "probe is null");
        }
    }

    /**
     * One running account, in short.
     *
     * @param lastError the most recent error ({@code null} on the wire when there is none)
     * @param resumesAt while the account waits as its platform asked: when receiving resumes ({@code
     *     null} on the wire otherwise)
     * @param stalled whether its receive loop is stalled (a wait longer than 60 s); {@code /readyz}
     *     is then not ready
     * @param probe the credential check; only with {@code health {probe:true}}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Channel(
            String channel,
            String account,
            AccountState state,
            Optional<String> lastError,
            Optional<Instant> resumesAt,
            boolean stalled,
            @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Probe> probe) {
        public Channel {
            requireNonNull(channel, "channel is null");
            requireNonNull(account, "account is null");
            requireNonNull(state, "state is null");
            requireNonNull(lastError, "lastError is null");
            requireNonNull(resumesAt, "resumesAt is null");
            requireNonNull(probe, "probe is null");
        }
    }

    /**
     * {@code server}: what the control server has counted since the gateway started.
     *
     * @param connections open connections now
     * @param refusedConnections connections refused at the cap
     * @param authFailures failed authentications
     * @param lockouts client addresses locked out after too many failures
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServerCounters(long connections, long refusedConnections, long authFailures, long lockouts) {}
}
