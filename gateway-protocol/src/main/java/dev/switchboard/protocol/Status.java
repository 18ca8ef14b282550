package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code status}: who and where the gateway is.
 *
 * @param instanceId random per start; equals {@code instanceId} in {@code owner.json}
 * @param mode {@code gateway} or {@code multi_channel_serve}
 * @param session the {@code --session} it runs with ({@code null} on the wire without one)
 * @param startedAt when this instance started
 * @param configPath the config file ({@code null} on the wire on built-in defaults)
 * @param bind the address it listens on
 * @param port the port it listens on; absent before it is bound
 * @param authMode {@code none}, {@code token} or {@code password}
 * @param channels every running account, in short
 * @param connections open control connections
 * @param cluster the cluster, on a replica ({@code gateway.cluster.enabled}); absent otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Status(
        String instanceId,
        String version,
        long pid,
        String mode,
        Optional<String> session,
        long uptimeMs,
        Instant startedAt,
        String stateDir,
        Optional<String> configPath,
        String bind,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) OptionalInt port,
        String authMode,
        List<Channel> channels,
        int connections,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<Cluster> cluster) {
    public Status {
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(version, "version is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(session, "session is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(configPath, "configPath is null");
        requireNonNull(bind, "bind is null");
        requireNonNull(port, "port is null");
        requireNonNull(authMode, "authMode is null");
        channels = List.copyOf(channels);
        requireNonNull(cluster, "cluster is null");
    }

    /**
     * The payload in plain JSON values ({@link PlainJson#read}) as {@link FrameCodec#json()} reads
     * it, without jackson-databind.
     *
     * @throws IllegalArgumentException naming the field, when {@code json} is not a status payload
     */
    public static Status fromPlain(Map<?, ?> json) {
        return PlainStatus.readStatus(json);
    }

    /** As plain JSON values, which {@link PlainJson#pretty} prints as {@link FrameCodec#json()} does. */
    public Map<String, @Nullable Object> toPlain() {
        return PlainStatus.write(this);
    }

    /** One running account: its channel, account and state. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Channel(String channel, String account, AccountState state) {
        public Channel {
            requireNonNull(channel, "channel is null");
            requireNonNull(account, "account is null");
            requireNonNull(state, "state is null");
        }
    }
}
