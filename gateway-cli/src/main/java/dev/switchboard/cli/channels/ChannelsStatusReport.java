package dev.switchboard.cli.channels;

import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.internal.GatewayText;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.ChannelsStatus;
import java.io.PrintStream;
import java.time.Instant;

/**
 * What {@code switchboard channels status} prints, for the full command ({@link
 * ChannelsStatusCommand}) and the quick path alike: {@code --json} the {@code channels.status}
 * payload, else the channel table.
 */
public final class ChannelsStatusReport {
    private ChannelsStatusReport() {}

    /**
     * Prints {@code payload} as {@code target} answered it.
     *
     * @param probe whether the accounts were probed (the table's probe column)
     * @param stateFlags the command line's state options, for the hint when no account runs
     */
    public static void print(
            PrintStream out,
            boolean json,
            ChannelsStatus payload,
            boolean probe,
            GatewayTarget target,
            String stateFlags,
            Instant now) {
        JsonOption.print(json, out, payload.toPlain(), text -> {
            if (payload.channels().isEmpty()) {
                text.println("no channel accounts running on " + target.url() + " (none enabled; see: switchboard"
                        + stateFlags + " channels list)");
            } else {
                for (String row : GatewayText.channelTable(payload.channels(), probe, now)) {
                    text.println(row);
                }
            }
        });
    }
}
