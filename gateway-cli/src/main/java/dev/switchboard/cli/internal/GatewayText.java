package dev.switchboard.cli.internal;

import dev.switchboard.protocol.ChannelStatus;
import dev.switchboard.protocol.Cluster;
import dev.switchboard.protocol.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /** {@code ok (detail)} or {@code failed (detail)}; {@code -} when there was no probe. */
    public static String probe(Optional<Probe> probe) {
        return probe.map(p -> (p.ok() ? "ok" : "failed") + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")"))
                .orElse("-");
    }

    /** The value, {@code -} when absent. */
    public static String text(Optional<?> value) {
        return value.map(String::valueOf).orElse("-");
    }

    /**
     * The aligned table of {@code channels.status} accounts: {@code CHANNEL ACCOUNT STATE SINCE IN OUT
     * DROPPED FAILED RESTARTS [PROBE] LAST ERROR}, header first; {@code SINCE} is how long ago from
     * {@code now}.
     */
    public static List<String> channelTable(List<ChannelStatus> channels, boolean withProbe, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(COLUMNS);
        if (withProbe) {
            header.add("PROBE");
        }
        header.add("LAST ERROR");
        rows.add(header);
        for (ChannelStatus channel : channels) {
            List<String> row = new ArrayList<>(List.of(
                    channel.channel(),
                    channel.account(),
                    state(channel, now),
                    human(Duration.between(channel.since(), now)),
                    String.valueOf(channel.inbound()),
                    String.valueOf(channel.outbound()),
                    String.valueOf(channel.dropped()),
                    String.valueOf(channel.failed()),
                    String.valueOf(channel.restarts())));
            if (withProbe) {
                row.add(probe(channel.probe()));
            }
            row.add(text(channel.lastError()));
            rows.add(row);
        }
        return align(rows);
    }

    /** The state, and while the account waits as its platform asked, how long until it receives again. */
    private static String state(ChannelStatus channel, Instant now) {
        Optional<Instant> resumes = channel.resumesAt();
        return resumes.isPresent() && resumes.get().isAfter(now)
                ? channel.state().wireName() + " (resumes in " + human(Duration.between(now, resumes.get())) + ")"
                : channel.state().wireName();
    }

    /**
     * Pads every column but the last to its widest cell, two spaces apart. (Loops, no streams: the
     * quick commands print with it.)
     */
    public static List<String> align(List<List<String>> rows) {
        int columns = 0;
        for (List<String> row : rows) {
            columns = Math.max(columns, row.size());
        }
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

    /**
     * A cluster replica's view as {@code (label, text)} lines: the replica, one line per member, one
     * per account lease with its owner and expiry (docs/cluster.md).
     */
    public static List<List<String>> cluster(Cluster cluster) {
        List<List<String>> lines = new ArrayList<>();
        long live = cluster.members().stream().filter(Cluster.Member::live).count();
        lines.add(List.of(
                "cluster",
                "replica " + cluster.replicaId() + ", " + live + " live member(s)"
                        + cluster.error().map(e -> ", last read failed: " + e).orElse("")));
        List<List<String>> members = new ArrayList<>();
        for (Cluster.Member member : cluster.members()) {
            members.add(List.of(member.replicaId(), member.live() ? "live" : "expired", member.url()));
        }
        align(members).forEach(row -> lines.add(List.of("member", row)));
        List<List<String>> leases = new ArrayList<>();
        for (Cluster.Lease lease : cluster.leases()) {
            leases.add(List.of(
                    lease.channel() + "." + lease.account(),
                    lease.held() ? "owner " + lease.owner().orElse("-") : "not held",
                    "token " + lease.token(),
                    "expires " + Instant.ofEpochMilli(lease.expiresAt())));
        }
        align(leases).forEach(row -> lines.add(List.of("lease", row)));
        return lines;
    }
}
