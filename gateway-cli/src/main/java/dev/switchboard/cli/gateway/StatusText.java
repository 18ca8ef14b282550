package dev.switchboard.cli.gateway;

import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The human form of {@code gateway status}: short, aligned, one fact per line. */
final class StatusText {
    private StatusText() {}

    static void print(OwnerStatus status, Map<String, Object> report, PrintStream out) {
        String headline = status.state().wireName();
        switch (status.state()) {
            case RUNNING -> headline += " (up " + human(Duration.ofMillis(status.uptimeMs())) + ")";
            case STALE -> headline += " (the gateway died without cleaning up; the next gateway run reclaims it)";
            case UNRESPONSIVE -> headline += " (the owner holds the lock but does not answer: " + status.rpc() + ")";
            case STOPPED -> {}
        }
        line(out, "state", headline);
        if (status.state() == OwnerState.RUNNING || status.state() == OwnerState.UNRESPONSIVE) {
            status.url().ifPresent(url -> line(out, "url", url));
        }
        status.owner().ifPresent(owner -> printOwner(owner, out));
        if (report.get("readiness") instanceof Map<?, ?> readiness) {
            line(
                    out,
                    "ready",
                    String.valueOf(readiness.get("ready") != null ? readiness.get("ready") : readiness.get("error")));
            if (readiness.get("waiting") instanceof List<?> waiting && !waiting.isEmpty()) {
                line(
                        out,
                        "waiting",
                        String.join(", ", waiting.stream().map(String::valueOf).toList()));
            }
        }
        status.problem().ifPresent(problem -> line(out, "problem", problem));
    }

    private static void printOwner(OwnerRecord owner, PrintStream out) {
        line(out, "pid", String.valueOf(owner.pid()));
        line(
                out,
                "mode",
                owner.mode().wireName() + ", session " + owner.session().orElse("-"));
        line(out, "phase", owner.phase().wireName());
        line(out, "started", owner.startedAt().toString());
        line(
                out,
                "port",
                owner.port().isPresent()
                        ? owner.port().getAsInt() + " (" + owner.portSource().wireName() + ")"
                        : "-");
        line(out, "config", owner.configPath().orElse("built-in defaults"));
        line(out, "state dir", owner.stateDir());
        if (owner.channels().isEmpty()) {
            line(out, "channels", "none");
        }
        for (OwnerRecord.ChannelStatus channel : owner.channels()) {
            line(
                    out,
                    "channel",
                    channel.channel() + "." + channel.account() + "  " + channel.state()
                            + channel.lastError()
                                    .map(error -> "  (" + error + ")")
                                    .orElse(""));
        }
        owner.shutdownReason().ifPresent(reason -> line(out, "stopped by", reason));
        owner.lastError().ifPresent(error -> line(out, "last error", error));
    }

    private static void line(PrintStream out, String label, String value) {
        out.printf("%-11s%s%n", label, value);
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
    }
}
