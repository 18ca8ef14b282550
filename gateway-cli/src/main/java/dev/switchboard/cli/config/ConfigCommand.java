package dev.switchboard.cli.config;

import dev.switchboard.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code switchboard config}: create and check the config file, plan an edit, show the running config. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Create and check the configuration; plan an edit against the running gateway.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            ConfigInitCommand.class,
            ConfigValidateCommand.class,
            ConfigPlanCommand.class,
            ConfigGetCommand.class
        })
public final class ConfigCommand extends GroupCommand {}
