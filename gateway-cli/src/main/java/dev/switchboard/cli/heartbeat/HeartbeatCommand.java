package dev.switchboard.cli.heartbeat;

import dev.switchboard.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code switchboard heartbeat}: the running gateway's agent heartbeats. */
@Command(
        name = "heartbeat",
        mixinStandardHelpOptions = true,
        description = "Look at and steer the running gateway's agent heartbeats.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            HeartbeatLastCommand.class,
            HeartbeatEnableCommand.class,
            HeartbeatDisableCommand.class,
            HeartbeatWakeCommand.class
        })
public final class HeartbeatCommand extends GroupCommand {}
