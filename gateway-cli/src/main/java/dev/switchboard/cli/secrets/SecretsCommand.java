package dev.switchboard.cli.secrets;

import dev.switchboard.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code switchboard secrets}: the running gateway's secrets. */
@Command(
        name = "secrets",
        mixinStandardHelpOptions = true,
        description = "Work with the running gateway's secrets.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {SecretsReloadCommand.class})
public final class SecretsCommand extends GroupCommand {}
