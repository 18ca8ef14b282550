package dev.switchboard.cli.status;

import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.internal.GatewayText;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.ChannelStatus;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code switchboard status} prints, for the full command ({@link StatusCommand}) and the quick
 * path alike: {@code --json} where the CLI went and how, then the {@code status} payload with the
 * {@code channels.status} accounts; else one line per part and the channel table.
 *
 * @param status the gateway's {@code status}
 * @param channels the accounts of its {@code channels.status}
 */
public record StatusReport(Status status, List<ChannelStatus> channels) {
    public StatusReport {
        channels = List.copyOf(channels);
    }

    public void print(PrintStream out, boolean json, GatewayTarget target, Instant now) {
        JsonOption.print(json, out, toJson(target), text -> printText(target, now, text));
    }

    /** The {@code --json} report as plain values: the quick path prints it without jackson-databind. */
    private Map<String, @Nullable Object> toJson(GatewayTarget target) {
        Map<String, @Nullable Object> report = new LinkedHashMap<>();
        report.put("url", target.url().toString());
        report.put("target", target.kind().wireName());
        report.put("urlSource", target.urlSource());
        report.put("credentialSource", target.credentialSource());
        report.putAll(status.toPlain());
        report.put("channels", ChannelsStatus.toPlain(channels)); // the full accounts, where status has its short list
        return report;
    }

    private void printText(GatewayTarget target, Instant now, PrintStream out) {
        line(out, "gateway", "running (up " + GatewayText.human(Duration.ofMillis(status.uptimeMs())) + ")");
        line(out, "url", target.url() + " (" + target.kind().wireName() + ", from " + target.urlSource() + ")");
        line(out, "instance", status.instanceId() + ", version " + status.version());
        line(out, "pid", String.valueOf(status.pid()));
        line(out, "mode", status.mode() + ", session " + GatewayText.text(status.session()));
        line(out, "auth", status.authMode() + " (the CLI used " + target.credentialSource() + ")");
        line(out, "connections", String.valueOf(status.connections()));
        line(out, "config", status.configPath().orElse("built-in defaults"));
        line(out, "state dir", status.stateDir());
        if (channels.isEmpty()) {
            line(out, "channels", "none");
        } else {
            out.println();
            for (String row : GatewayText.channelTable(channels, false, now)) {
                out.println(row);
            }
        }
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-13s%s%n", label, value);
    }
}
