package dev.switchboard.cli.gateway;

import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.internal.GatewayText;
import dev.switchboard.protocol.ChannelStatus;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.Health;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code gateway status --deep}: the running gateway's own view over RPC, {@code health {probe:true}}
 * and {@code channels.status {probe:true}}, or why it could not be had.
 *
 * @param health the health payload, when the calls succeeded
 * @param channels the {@code channels.status} accounts (state, counters, probe), when they succeeded
 * @param error why not, otherwise
 */
record LiveStatus(Optional<Health> health, Optional<List<ChannelStatus>> channels, Optional<String> error) {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    /** Connects to {@code target} (resolved lazily: naming it may fail too) and asks. Never throws for RPC failures. */
    static LiveStatus fetch(Supplier<GatewayTarget> target) {
        try {
            return target.get().ask(List.of(Scopes.READ), PROBE_TIMEOUT, LiveStatus::fetch);
        } catch (GatewayRpcException e) {
            return failed(e.getMessage());
        }
    }

    /** Asks over an open session. */
    static LiveStatus fetch(GatewaySession session) {
        try {
            Health health = session.call(Methods.HEALTH, GatewaySession.params().put("probe", true), Health.class);
            List<ChannelStatus> channels = session.call(
                            Methods.CHANNELS_STATUS, GatewaySession.params().put("probe", true), ChannelsStatus.class)
                    .channels();
            return new LiveStatus(Optional.of(health), Optional.of(channels), Optional.empty());
        } catch (GatewayRpcException e) {
            return failed(e.getMessage());
        }
    }

    private static LiveStatus failed(String message) {
        return new LiveStatus(Optional.empty(), Optional.empty(), Optional.of(message.replaceAll("\\R", " ")));
    }

    /**
     * Adds {@code health} and, replacing owner.json's, the live {@code channels} (a superset of its
     * fields); on failure {@code health: null} and {@code deepError}.
     */
    void addTo(Map<String, Object> report) {
        report.put("health", health.orElse(null));
        health.flatMap(Health::cluster).ifPresent(cluster -> report.put("cluster", cluster));
        channels.ifPresent(list -> report.put("channels", list));
        error.ifPresent(message -> report.put("deepError", message));
    }

    /** A few lines for the text form: health, then one per live channel account. */
    void print(PrintStream out) {
        if (error.isPresent()) {
            line(out, "health", "unknown: " + error.get());
            return;
        }
        line(out, "health", health.orElseThrow().ok() ? "ok" : "not ok");
        List<List<String>> rows = new ArrayList<>();
        for (ChannelStatus channel : channels.orElseThrow()) {
            rows.add(List.of(
                    channel.channel() + "." + channel.account(),
                    channel.state().wireName(),
                    "in " + channel.inbound(),
                    "out " + channel.outbound(),
                    "dropped " + channel.dropped(),
                    "failed " + channel.failed(),
                    "restarts " + channel.restarts(),
                    "probe " + GatewayText.probe(channel.probe())));
        }
        GatewayText.align(rows).forEach(row -> line(out, "live", row));
        health.flatMap(Health::cluster).ifPresent(cluster -> GatewayText.cluster(cluster)
                .forEach(clusterLine -> line(out, clusterLine.get(0), clusterLine.get(1))));
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-11s%s%n", label, value);
    }
}
