package dev.switchboard.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** How the commands that talk to a gateway print what it answered: durations, probes, the channel table. */
public final class GatewayText {
    private static final List<String> COLUMNS =
            List.of("CHANNEL", "ACCOUNT", "STATE", "SINCE", "IN", "OUT", "DROPPED", "FAILED", "RESTARTS");

    private GatewayText() {}

    /** {@code 4s}, {@code 3m12s}, {@code 5h2m}, {@code 3d4h}. */
    public static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
        }
        return seconds / 86400 + "d" + seconds % 86400 / 3600 + "h";
    }

    /** {@code ok (detail)} or {@code failed (detail)} for a {@code probe} object; {@code -} when absent. */
    public static String probe(JsonNode probe) {
        if (probe == null || !probe.isObject()) {
            return "-";
        }
        String detail = probe.path("detail").asText("");
        return (probe.path("ok").asBoolean(false) ? "ok" : "failed") + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    /** A text value, {@code -} when null or missing. */
    public static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "-" : node.asText();
    }

    /** How long ago {@code iso} was, from {@code now}: {@code 12s}; {@code -} when unknown. */
    public static String since(JsonNode iso, Instant now) {
        if (iso == null || !iso.isTextual()) {
            return "-";
        }
        try {
            return human(Duration.between(Instant.parse(iso.asText()), now));
        } catch (DateTimeParseException e) {
            return iso.asText();
        }
    }

    /**
     * The aligned table of {@code channels.status} accounts: {@code CHANNEL ACCOUNT STATE SINCE IN OUT
     * DROPPED FAILED RESTARTS [PROBE] LAST ERROR}, header first.
     */
    public static List<String> channelTable(JsonNode channels, boolean withProbe, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(COLUMNS);
        if (withProbe) {
            header.add("PROBE");
        }
        header.add("LAST ERROR");
        rows.add(header);
        for (JsonNode channel : channels) {
            List<String> row = new ArrayList<>(List.of(
                    text(channel.get("channel")),
                    text(channel.get("account")),
                    text(channel.get("state")),
                    since(channel.get("since"), now),
                    text(channel.get("inbound")),
                    text(channel.get("outbound")),
                    text(channel.get("dropped")),
                    text(channel.get("failed")),
                    text(channel.get("restarts"))));
            if (withProbe) {
                row.add(probe(channel.get("probe")));
            }
            row.add(text(channel.get("lastError")));
            rows.add(row);
        }
        return align(rows);
    }

    /** Pads every column but the last to its widest cell, two spaces apart. */
    public static List<String> align(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
