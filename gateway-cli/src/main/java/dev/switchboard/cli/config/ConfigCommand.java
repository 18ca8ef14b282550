package dev.switchboard.cli.config;

import dev.switchboard.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code switchboard config}: create and check the config file. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Create and check the configuration.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ConfigInitCommand.class, ConfigValidateCommand.class})
public final class ConfigCommand extends GroupCommand {}
