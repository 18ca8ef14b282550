package dev.switchboard.cli.heartbeat;

import dev.switchboard.protocol.HeartbeatEvent;
import dev.switchboard.protocol.LastHeartbeat;
import java.io.PrintStream;
import java.time.Instant;
import java.util.OptionalLong;

/** How the heartbeat commands print a {@link LastHeartbeat}. */
final class HeartbeatText {
    private HeartbeatText() {}

    static void print(LastHeartbeat state, PrintStream out) {
        out.println("heartbeats: " + (state.enabled() ? "on" : "off"));
        out.println("next run:   " + at(state.nextAt()));
        if (state.wakeQueued()) {
            out.println("wake text:  queued for the next run");
        }
        if (state.last().isEmpty()) {
            out.println("last run:   none yet");
            return;
        }
        HeartbeatEvent last = state.last().get();
        out.println("last run:   " + last.runId() + " " + last.status().wireName() + " at "
                + Instant.ofEpochMilli(last.at()) + ", "
                + (last.delivered() ? "answer delivered" : "nothing delivered"));
    }

    private static String at(OptionalLong epochMs) {
        return epochMs.isPresent() ? Instant.ofEpochMilli(epochMs.getAsLong()).toString() : "none (heartbeats off)";
    }
}
