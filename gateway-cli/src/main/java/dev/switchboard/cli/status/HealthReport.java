package dev.switchboard.cli.status;

import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.internal.GatewayText;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.AccountState;
import dev.switchboard.protocol.Health;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code switchboard health} prints and its exit code, for the full command ({@link
 * HealthCommand}) and the quick path alike: {@code --json} the snapshot, else one line per part.
 */
public final class HealthReport {
    private HealthReport() {}

    /**
     * Prints {@code health} as {@code target} answered it and returns the exit code: 0 when healthy,
     * 1 when not.
     *
     * @param asJson what {@code --json} prints: the record, or its {@link Health#toPlain() plain
     *     values} (the same JSON without jackson-databind)
     */
    public static int print(PrintStream out, boolean json, Object asJson, GatewayTarget target, Health health) {
        boolean healthy = healthy(health);
        JsonOption.print(json, out, asJson, text -> print(target, health, healthy, text));
        return healthy ? ExitCodes.OK : ExitCodes.RUNTIME;
    }

    /** {@code ok} is true and no probe that ran failed. */
    static boolean healthy(Health health) {
        if (!health.ok()) {
            return false;
        }
        for (Health.Channel channel : health.channels()) { // a loop: no stream framework for the quick path
            if (channel.probe().isPresent() && !channel.probe().get().ok()) {
                return false;
            }
        }
        return true;
    }

    private static void print(GatewayTarget target, Health health, boolean healthy, PrintStream out) {
        line(out, "health", healthy ? "ok" : health.ok() ? "degraded (a channel probe failed)" : notOk(health));
        line(out, "url", target.url() + " (" + target.kind().wireName() + ")");
        line(out, "uptime", GatewayText.human(Duration.ofMillis(health.uptimeMs())));
        line(out, "version", health.version());
        line(out, "instance", health.instanceId());
        health.store()
                .ifPresent(store -> line(
                        out,
                        "store",
                        store.ok()
                                ? "ok (" + store.latencyMs() + " ms)"
                                : "not ok: " + GatewayText.text(store.error())));
        health.agent()
                .ifPresent(agent -> line(
                        out,
                        "agent",
                        agent.provider()
                                + agent.probe()
                                        .map(p -> ", probe " + GatewayText.probe(agent.probe()))
                                        .orElse("")));
        if (health.channels().isEmpty()) {
            line(out, "channels", "none");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Health.Channel channel : health.channels()) {
            List<String> row = new ArrayList<>(List.of(
                    channel.channel() + "." + channel.account(), channel.state().wireName()));
            channel.resumesAt()
                    .ifPresent(resumes ->
                            row.add((channel.stalled() ? "stalled: " : "") + "receiving resumes at " + resumes));
            channel.probe().ifPresent(p -> row.add("probe " + GatewayText.probe(channel.probe())));
            channel.lastError().ifPresent(error -> row.add("last error: " + error));
            rows.add(row);
        }
        GatewayText.align(rows).forEach(row -> line(out, "channel", row));
        health.cluster().ifPresent(cluster -> GatewayText.cluster(cluster)
                .forEach(clusterLine -> line(out, clusterLine.get(0), clusterLine.get(1))));
    }

    /** {@code not ok: } and what is not well: the store, and the accounts {@code /readyz} waits for. */
    private static String notOk(Health health) {
        List<String> parts = new ArrayList<>();
        health.store().filter(store -> !store.ok()).ifPresent(store -> parts.add("store"));
        health.channels().stream()
                .filter(channel -> !working(channel))
                .map(channel -> channel.channel() + "." + channel.account() + " "
                        + (channel.stalled() ? "stalled" : channel.state().wireName()))
                .forEach(parts::add);
        return parts.isEmpty() ? "not ok" : "not ok: " + String.join(", ", parts);
    }

    /** The gateway's rule for an account that counts as working (core {@code AccountStatus.ready()}). */
    private static boolean working(Health.Channel channel) {
        return !channel.stalled()
                && (channel.state() == AccountState.CONNECTED
                        || (channel.state() == AccountState.DEGRADED
                                && channel.lastError().isPresent())
                        || channel.resumesAt().isPresent());
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-10s%s%n", label, value);
    }
}
