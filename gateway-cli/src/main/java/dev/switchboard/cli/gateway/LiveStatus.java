package dev.switchboard.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.internal.GatewayText;
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
record LiveStatus(Optional<JsonNode> health, Optional<JsonNode> channels, Optional<String> error) {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    /** Connects to {@code target} (resolved lazily: naming it may fail too) and asks. Never throws for RPC failures. */
    static LiveStatus fetch(Supplier<GatewayTarget> target) {
        try (GatewaySession session = target.get().connect(List.of(Scopes.READ), PROBE_TIMEOUT)) {
            return fetch(session);
        } catch (GatewayRpcException e) {
            return failed(e.getMessage());
        }
    }

    /** Asks over an open session. */
    static LiveStatus fetch(GatewaySession session) {
        try {
            JsonNode health =
                    session.call(Methods.HEALTH, GatewaySession.params().put("probe", true));
            JsonNode channels = session.call(
                            Methods.CHANNELS_STATUS, GatewaySession.params().put("probe", true))
                    .path("channels");
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
        channels.ifPresent(list -> report.put("channels", list));
        error.ifPresent(message -> report.put("deepError", message));
    }

    /** A few lines for the text form: health, then one per live channel account. */
    void print(PrintStream out) {
        if (error.isPresent()) {
            line(out, "health", "unknown: " + error.get());
            return;
        }
        JsonNode payload = health.orElseThrow();
        line(out, "health", payload.path("ok").asBoolean(false) ? "ok" : "not ok");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode channel : channels.orElseThrow()) {
            rows.add(List.of(
                    GatewayText.text(channel.get("channel")) + "." + GatewayText.text(channel.get("account")),
                    GatewayText.text(channel.get("state")),
                    "in " + GatewayText.text(channel.get("inbound")),
                    "out " + GatewayText.text(channel.get("outbound")),
                    "dropped " + GatewayText.text(channel.get("dropped")),
                    "failed " + GatewayText.text(channel.get("failed")),
                    "restarts " + GatewayText.text(channel.get("restarts")),
                    "probe " + GatewayText.probe(channel.get("probe"))));
        }
        GatewayText.align(rows).forEach(row -> line(out, "live", row));
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-11s%s%n", label, value);
    }
}
