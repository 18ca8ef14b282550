package dev.switchboard.cli.gateway;

import dev.switchboard.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code switchboard gateway}: run and manage the gateway process. */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        description = "Run and manage the gateway.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            GatewayRunCommand.class,
            GatewayStatusCommand.class,
            GatewayStopCommand.class,
            GatewayRestartCommand.class,
            GatewayInstallCommand.class,
            GatewayUninstallCommand.class
        })
public final class GatewayCommand extends GroupCommand {}
