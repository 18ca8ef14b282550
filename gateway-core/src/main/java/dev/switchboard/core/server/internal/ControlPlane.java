package dev.switchboard.core.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.cluster.internal.OwnerForwarding;
import dev.switchboard.core.heartbeat.internal.Heartbeats;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.logs.LogDirectory;
import dev.switchboard.core.routing.internal.Outbound;
import dev.switchboard.core.routing.internal.WebChat;
import dev.switchboard.protocol.Cluster;
import dev.switchboard.protocol.Health;
import dev.switchboard.protocol.Status;
import dev.switchboard.spi.ProbeResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the control protocol may ask of the running gateway. Implemented by the gateway itself; the
 * server never reaches into its internals.
 */
public interface ControlPlane {
    String instanceId();

    String version();

    long uptimeMs();

    /** {@code status}: who and where the gateway is; {@code connections} is the server's own count. */
    Status status(int connections);

    /** Every running account's state and counters. */
    List<AccountStatus> channels();

    /**
     * Checks every running account's credentials against its platform, keyed {@code
     * channel.account}. Blocks (network calls): never call it on an I/O thread.
     */
    Map<String, ProbeResult> probeChannels();

    /** {@code config.get}: the active configuration with every secret replaced by its source. */
    ObjectNode config();

    /** {@code config.plan}, {@code config.apply}, {@code secrets.reload}. */
    GatewayControlPlane.Reloads reloads();

    /** Stops the gateway soon, after the current response is sent. */
    void requestStop(String reason);

    /** Restarts the gateway in-process (re-reading the config) after the current response is sent. */
    void requestRestart(String reason);

    /** The built-in webchat of {@code chat.*} and {@code sessions.*}; empty when the gateway runs no reply loop. */
    default Optional<WebChat> webChat() {
        return Optional.empty();
    }

    /** Proactive sends ({@code send}, {@code agent} deliveries); empty when the gateway runs no reply loop. */
    default Optional<Outbound> outbound() {
        return Optional.empty();
    }

    /** The agent heartbeats; empty when the gateway runs no reply loop. */
    default Optional<Heartbeats> heartbeats() {
        return Optional.empty();
    }

    /**
     * Whether the store answers a trivial query and how fast. {@code measure}: query now (blocks; not
     * on an I/O thread); else the last measurement (measured now when there is none yet). Empty
     * without a store.
     */
    default Optional<Health.Store> storeHealth(boolean measure) {
        return Optional.empty();
    }

    /**
     * The agent provider, and with {@code probe} whether it answers (blocks, time-bounded). Empty
     * without a reply loop.
     */
    default Optional<Health.Agent> agentHealth(boolean probe) {
        return Optional.empty();
    }

    /** The log file {@code logs.tail} reads; empty when the gateway writes none (embedded, tests). */
    default Optional<LogDirectory> logs() {
        return Optional.empty();
    }

    /** The cluster as this replica sees it (docs/cluster.md); empty on a single gateway. */
    default Optional<Cluster> cluster() {
        return Optional.empty();
    }

    /**
     * {@code channels.status {probe}} of the accounts other cluster replicas own, asked of their
     * owners (blocks: network); nothing on a single gateway.
     */
    default OwnerForwarding.Forwarded probeElsewhere() {
        return new OwnerForwarding.Forwarded(List.of(), List.of());
    }

    /** What the server turned away since the start, for {@code health.server}; zeros by default. */
    default ServerCounters serverCounters() {
        return new ServerCounters();
    }
}
