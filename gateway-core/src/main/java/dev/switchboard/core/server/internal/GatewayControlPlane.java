package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentRuntimes;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.internal.AccountSupervisor;
import dev.switchboard.core.channel.internal.ChannelSupervisor;
import dev.switchboard.core.cluster.internal.AccountKey;
import dev.switchboard.core.cluster.internal.LeaseKeeper;
import dev.switchboard.core.cluster.internal.OwnerForwarding;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.internal.ConfigView;
import dev.switchboard.core.heartbeat.internal.Heartbeats;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.logs.LogDirectory;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.internal.GatewayOwner;
import dev.switchboard.core.routing.internal.Outbound;
import dev.switchboard.core.routing.internal.ReplyRouting;
import dev.switchboard.core.routing.internal.WebChat;
import dev.switchboard.core.store.internal.StoreMaintenance;
import dev.switchboard.protocol.Cluster;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Health;
import dev.switchboard.protocol.Status;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.agent.AgentRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The running gateway as the control protocol sees it: its parts, read directly, and the two
 * lifecycle requests handed back to whoever runs it.
 */
public final class GatewayControlPlane implements ControlPlane {
    /** How long the agent provider probe of {@code health {probe:true}} may take. */
    private static final Duration AGENT_PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** What {@code gateway.stop} and {@code gateway.restart} ask of the gateway's lifecycle. */
    public interface Lifecycle {
        /** Stops the gateway soon: the caller's response is already queued. */
        void stop(String reason);

        /** Restarts the gateway in-process (re-reading the config) soon. */
        void restart(String reason);
    }

    /**
     * What {@code config.plan}, {@code config.apply} and {@code secrets.reload} ask of the running
     * gateway's reload engine. Each answers its payload or throws a {@link
     * dev.switchboard.protocol.ProtocolException} naming what was wrong.
     */
    public interface Reloads {
        /** SHA-256 of the config file's text the running config was loaded from (the empty text's without a file). */
        String activeHash();

        /** What applying {@code raw} would change; nothing is touched. */
        ObjectNode plan(String raw);

        /** Writes {@code raw} over the config file if it still hashes to {@code baseHash}, then applies it. */
        ObjectNode apply(String raw, String baseHash);

        /** Re-resolves every secret and applies what changed. */
        ObjectNode reloadSecrets();
    }

    private final GatewayOwner owner;
    private final String version;
    private final Clock clock;
    private final Supplier<GatewayConfig> config;
    private final Supplier<GatewayAuth> auth;
    private final ChannelSupervisor channels;
    private final StoreMaintenance store;
    private final Optional<ReplyRouting> routing;
    private final Supplier<Optional<AgentRuntime>> agent;
    private final ServerCounters serverCounters;
    private final Lifecycle lifecycle;
    private final Reloads reloads;
    private final Optional<LogDirectory> logs;
    private final Optional<LeaseKeeper> keeper;
    private final Optional<OwnerForwarding> forwarding;
    private final Supplier<List<AccountKey>> configuredAccounts;
    private final Optional<Heartbeats> heartbeats;

    /**
     * @param routing the reply loop; empty when an embedder handles inbound messages itself
     * @param agent the reply loop's agent; empty without one
     * @param logs the launcher's log file; empty when the gateway writes none
     * @param cluster the lease keeper of a cluster replica; empty for a single gateway
     * @param forwarding asks the owners of accounts held elsewhere; empty for a single gateway
     * @param configuredAccounts every account the configuration runs
     * @param heartbeats the agent heartbeats; empty without a reply loop
     */
    public GatewayControlPlane(
            GatewayOwner owner,
            String version,
            Clock clock,
            Supplier<GatewayConfig> config,
            Supplier<GatewayAuth> auth,
            ChannelSupervisor channels,
            StoreMaintenance store,
            Optional<ReplyRouting> routing,
            Supplier<Optional<AgentRuntime>> agent,
            ServerCounters serverCounters,
            Lifecycle lifecycle,
            Reloads reloads,
            Optional<LogDirectory> logs,
            Optional<LeaseKeeper> cluster,
            Optional<OwnerForwarding> forwarding,
            Supplier<List<AccountKey>> configuredAccounts,
            Optional<Heartbeats> heartbeats) {
        this.owner = requireNonNull(owner, "owner is null");
        this.version = requireNonNull(version, "version is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.config = requireNonNull(config, "config is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.store = requireNonNull(store, "store is null");
        this.routing = requireNonNull(routing, "routing is null");
        this.agent = requireNonNull(agent, "agent is null");
        this.serverCounters = requireNonNull(serverCounters, "serverCounters is null");
        this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
        this.reloads = requireNonNull(reloads, "reloads is null");
        this.logs = requireNonNull(logs, "logs is null");
        this.heartbeats = requireNonNull(heartbeats, "heartbeats is null");
        this.keeper = requireNonNull(cluster, "cluster is null");
        this.forwarding = requireNonNull(forwarding, "forwarding is null");
        this.configuredAccounts = requireNonNull(configuredAccounts, "configuredAccounts is null");
    }

    @Override
    public Optional<Cluster> cluster() {
        return keeper.map(k -> k.view().toWire());
    }

    @Override
    public OwnerForwarding.Forwarded probeElsewhere() {
        if (forwarding.isEmpty()) {
            return ControlPlane.super.probeElsewhere();
        }
        Set<AccountKey> local = new HashSet<>();
        channels.accounts().forEach(a -> local.add(new AccountKey(a.channelId(), a.accountId())));
        return forwarding
                .get()
                .probe(configuredAccounts.get().stream()
                        .filter(account -> !local.contains(account))
                        .toList());
    }

    @Override
    public String instanceId() {
        return owner.current().instanceId();
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public long uptimeMs() {
        return Duration.between(owner.current().startedAt(), clock.instant()).toMillis();
    }

    @Override
    public Status status(int connections) {
        OwnerRecord record = owner.current();
        return new Status(
                record.instanceId(),
                version,
                record.pid(),
                record.mode().wireName(),
                record.session(),
                uptimeMs(),
                record.startedAt(),
                record.stateDir(),
                record.configPath(),
                record.bind(),
                record.port(),
                auth.get().mode().name().toLowerCase(Locale.ROOT),
                channels().stream()
                        .map(account -> new Status.Channel(
                                account.channelId(), account.accountId(), Wire.state(account.state())))
                        .toList(),
                connections,
                cluster());
    }

    @Override
    public List<AccountStatus> channels() {
        return channels.statuses();
    }

    @Override
    public Map<String, ProbeResult> probeChannels() {
        Map<String, ProbeResult> results = new LinkedHashMap<>();
        for (AccountSupervisor account : channels.accounts()) {
            results.put(account.channelId() + "." + account.accountId(), account.probe());
        }
        return results;
    }

    @Override
    public ObjectNode config() {
        GatewayConfig current = config.get();
        ObjectNode payload = FrameCodec.json().createObjectNode();
        payload.put("path", current.source().map(Path::toString).orElse(null));
        payload.put("hash", reloads.activeHash());
        payload.set("config", ConfigView.toJson(current));
        return payload;
    }

    @Override
    public Reloads reloads() {
        return reloads;
    }

    @Override
    public Optional<LogDirectory> logs() {
        return logs;
    }

    @Override
    public Optional<WebChat> webChat() {
        return routing.map(ReplyRouting::webChat);
    }

    @Override
    public Optional<Outbound> outbound() {
        return routing.map(ReplyRouting::outbound);
    }

    @Override
    public Optional<Heartbeats> heartbeats() {
        return heartbeats;
    }

    @Override
    public Optional<Health.Store> storeHealth(boolean measure) {
        StoreMaintenance.Health health = store.health(measure);
        return Optional.of(new Health.Store(health.ok(), health.latencyMs(), health.error()));
    }

    @Override
    public Optional<Health.Agent> agentHealth(boolean probe) {
        return agent.get()
                .map(runtime -> new Health.Agent(
                        runtime.id(),
                        probe
                                ? Optional.of(Wire.probe(AgentRuntimes.probe(runtime, AGENT_PROBE_TIMEOUT)))
                                : Optional.empty()));
    }

    @Override
    public ServerCounters serverCounters() {
        return serverCounters;
    }

    @Override
    public void requestStop(String reason) {
        lifecycle.stop(reason);
    }

    @Override
    public void requestRestart(String reason) {
        lifecycle.restart(reason);
    }
}
