package dev.switchboard.cli.gateway;

import dev.switchboard.cli.internal.GatewayText;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import dev.switchboard.protocol.IsoInstants;
import dev.switchboard.protocol.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The human form of {@code gateway status}: short, aligned, one fact per line. */
final class StatusText {
    private StatusText() {}

    static void print(
            OwnerStatus status, Optional<LiveStatus> live, Optional<InstalledService> installed, PrintStream out) {
        String headline = status.state().wireName();
        switch (status.state()) {
            case RUNNING -> headline += " (up " + human(Duration.ofMillis(status.uptimeMs())) + ")";
            case STALE -> headline += " (the gateway died without cleaning up; the next gateway run reclaims it)";
            case UNRESPONSIVE -> headline += " (the owner holds the lock but does not answer: " + status.rpc() + ")";
            case STOPPED -> {}
        }
        line(out, "state", headline);
        boolean up = status.state() == OwnerState.RUNNING || status.state() == OwnerState.UNRESPONSIVE;
        if (up) {
            status.url().ifPresent(url -> line(out, "url", url));
            status.owner()
                    .flatMap(OwnerRecord::service)
                    .ifPresent(service -> line(out, "managed by", service.toString()));
        } else {
            installed.ifPresent(
                    service -> line(out, "service", "installed as a service: start with " + service.startCommand()));
        }
        status.owner().ifPresent(owner -> printOwner(owner, out));
        live.ifPresent(l -> l.print(out));
        status.problem().ifPresent(problem -> line(out, "problem", problem));
    }

    /** {@code gateway status --url}: what the remote gateway's {@code status} answered, or why nothing. */
    static void printRemote(
            Map<String, Object> report, Optional<Status> status, Optional<LiveStatus> live, PrintStream out) {
        if (status.isEmpty()) {
            line(out, "state", String.valueOf(report.get("state")));
            line(out, "url", String.valueOf(report.get("url")));
            line(out, "rpc", String.valueOf(report.get("rpc")));
            return;
        }
        Status s = status.get();
        line(out, "state", "running (up " + human(Duration.ofMillis(s.uptimeMs())) + ")");
        line(out, "url", String.valueOf(report.get("url")));
        line(out, "pid", String.valueOf(s.pid()));
        line(out, "mode", s.mode() + ", session " + GatewayText.text(s.session()));
        line(out, "instance", s.instanceId() + ", version " + s.version());
        line(out, "started", IsoInstants.format(s.startedAt()));
        line(out, "config", s.configPath().orElse("built-in defaults"));
        line(out, "state dir", s.stateDir() + " (on the gateway's host)");
        if (s.channels().isEmpty()) {
            line(out, "channels", "none");
        }
        for (Status.Channel channel : s.channels()) {
            line(
                    out,
                    "channel",
                    channel.channel() + "." + channel.account() + "  "
                            + channel.state().wireName());
        }
        live.ifPresent(l -> l.print(out));
    }

    private static void printOwner(OwnerRecord owner, PrintStream out) {
        line(out, "pid", String.valueOf(owner.pid()));
        line(
                out,
                "mode",
                owner.mode().wireName() + ", session " + owner.session().orElse("-"));
        line(out, "phase", owner.phase().wireName());
        line(out, "started", IsoInstants.format(owner.startedAt()));
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
        return GatewayText.human(duration);
    }
}
