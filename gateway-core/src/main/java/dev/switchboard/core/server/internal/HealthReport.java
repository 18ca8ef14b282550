package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.server.ControlPlane;
import dev.switchboard.core.server.ServerCounters;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.spi.AccountStatus;
import dev.switchboard.spi.ProbeResult;
import java.util.Map;

/**
 * The health snapshot ({@code health}, the {@code health} event, {@code hello-ok.snapshot.health})
 * and the channel accounts as {@code channels.status} and the {@code channel} event show them.
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
    public ObjectNode health(boolean probe, boolean measure) {
        ObjectNode health = json().put("ok", true)
                .put("ts", System.currentTimeMillis())
                .put("uptimeMs", plane.uptimeMs())
                .put("version", plane.version())
                .put("instanceId", plane.instanceId());
        plane.storeHealth(measure).ifPresent(store -> {
            ObjectNode node = health.putObject("store").put("ok", store.ok()).put("latencyMs", store.latencyMs());
            store.error().ifPresent(error -> node.put("error", error));
            if (!store.ok()) {
                health.put("ok", false);
            }
        });
        plane.agentHealth(probe).ifPresent(agent -> {
            ObjectNode node = health.putObject("agent").put("provider", agent.provider());
            agent.probe()
                    .ifPresent(result ->
                            node.putObject("probe").put("ok", result.ok()).put("detail", result.detail()));
        });
        ServerCounters counters = plane.serverCounters();
        health.putObject("server")
                .put("connections", clients.count())
                .put("refusedConnections", counters.refusedConnections())
                .put("authFailures", counters.authFailures())
                .put("lockouts", counters.lockouts());
        ArrayNode channels = health.putArray("channels");
        Map<String, ProbeResult> probes = probe ? plane.probeChannels() : Map.of();
        for (AccountStatus status : plane.channels()) {
            ObjectNode channel = channels.addObject()
                    .put("channel", status.channelId())
                    .put("account", status.accountId())
                    .put("state", status.state().wireName());
            channel.put("lastError", status.lastError().orElse(null));
            addProbe(channel, probes, status);
        }
        return health;
    }

    /** {@code channels.status}: every account with its counters, and with {@code probe} its check. */
    public ObjectNode channelsStatus(boolean probe) {
        ObjectNode payload = json();
        ArrayNode channels = payload.putArray("channels");
        Map<String, ProbeResult> probes = probe ? plane.probeChannels() : Map.of();
        for (AccountStatus status : plane.channels()) {
            ObjectNode channel = channel(status);
            channels.add(channel);
            addProbe(channel, probes, status);
        }
        return payload;
    }

    /** One account as the {@code channel} event and {@code channels.status} show it. */
    public static ObjectNode channel(AccountStatus status) {
        ObjectNode channel = json().put("channel", status.channelId())
                .put("account", status.accountId())
                .put("state", status.state().wireName());
        channel.put("lastError", status.lastError().orElse(null));
        channel.put("since", status.since().toString());
        channel.put(
                "lastInboundAt", status.lastInboundAt().map(Object::toString).orElse(null));
        channel.put(
                "lastOutboundAt", status.lastOutboundAt().map(Object::toString).orElse(null));
        channel.put("restarts", status.restarts())
                .put("inbound", status.inbound())
                .put("dropped", status.dropped())
                .put("outbound", status.outbound())
                .put("failed", status.failed());
        return channel;
    }

    private static void addProbe(ObjectNode channel, Map<String, ProbeResult> probes, AccountStatus status) {
        ProbeResult result = probes.get(status.channelId() + "." + status.accountId());
        if (result != null) {
            channel.putObject("probe").put("ok", result.ok()).put("detail", result.detail());
        }
    }

    private static ObjectNode json() {
        return FrameCodec.json().createObjectNode();
    }
}
