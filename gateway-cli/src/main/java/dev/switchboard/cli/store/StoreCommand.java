package dev.switchboard.cli.store;

import dev.switchboard.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code switchboard store}: the gateway's durable store. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        description = "Work with the gateway's durable store.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {StoreMigrateCommand.class})
public final class StoreCommand extends GroupCommand {}
