package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.cluster.internal.OwnerForwarding;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.protocol.ChannelStatus;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.Health;
import dev.switchboard.spi.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The health snapshot ({@code health}, the {@code health} event, {@code hello-ok.snapshot.health})
 * and the channel accounts as {@code channels.status} shows them.
 */
public final class HealthReport {
    private final ControlPlane plane;
    private final ConnectedClients clients;

    public HealthReport(ControlPlane plane, ConnectedClients clients) {
        this.plane = requireNonNull(plane, "plane is null");
        this.clients = requireNonNull(clients, "clients is null");
    }

    /**
     * The health snapshot. {@code probe}: check each account and the agent (blocks); {@code
     * measure}: query the store now (blocks), else show its last measurement.
     */
    public Health health(boolean probe, boolean measure) {
        Optional<Health.Store> store = plane.storeHealth(measure);
        Map<String, ProbeResult> probes = probe ? plane.probeChannels() : Map.of();
        ServerCounters counters = plane.serverCounters();
        List<AccountStatus> accounts = plane.channels();
        // the /readyz rule: a reconnecting or stalled account is not well, whatever the store says
        boolean ok =
                store.map(Health.Store::ok).orElse(true) && accounts.stream().allMatch(AccountStatus::ready);
        return new Health(
                ok,
                System.currentTimeMillis(),
                plane.uptimeMs(),
                plane.version(),
                plane.instanceId(),
                store,
                plane.agentHealth(probe),
                accounts.stream()
                        .map(status -> new Health.Channel(
                                status.channelId(),
                                status.accountId(),
                                Wire.state(status.state()),
                                status.lastError(),
                                status.resumesAt(),
                                status.stalled(),
                                probeOf(probes, status).map(Wire::probe)))
                        .toList(),
                Optional.of(new Health.ServerCounters(
                        clients.count(), counters.refusedConnections(), counters.authFailures(), counters.lockouts())),
                plane.cluster());
    }

    /**
     * {@code channels.status}: every account with its counters, and with {@code probe} its check; on a
     * cluster replica with {@code probe} also the accounts other replicas own, unless {@code
     * localOnly} (a replica forwarding to this one asks that).
     */
    public ChannelsStatus channelsStatus(boolean probe, boolean localOnly) {
        Map<String, ProbeResult> probes = probe ? plane.probeChannels() : Map.of();
        List<ChannelStatus> statuses = new ArrayList<>();
        plane.channels().forEach(status -> statuses.add(Wire.channel(status, probeOf(probes, status))));
        if (!probe || localOnly) {
            return new ChannelsStatus(statuses);
        }
        OwnerForwarding.Forwarded elsewhere = plane.probeElsewhere();
        statuses.addAll(elsewhere.statuses());
        return new ChannelsStatus(statuses, elsewhere.problems());
    }

    private static Optional<ProbeResult> probeOf(Map<String, ProbeResult> probes, AccountStatus status) {
        return Optional.ofNullable(probes.get(status.channelId() + "." + status.accountId()));
    }
}
