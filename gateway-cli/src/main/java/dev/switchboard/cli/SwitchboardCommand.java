package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.channels.ChannelsCommand;
import dev.switchboard.cli.chat.ChatCommand;
import dev.switchboard.cli.config.ConfigCommand;
import dev.switchboard.cli.doctor.DoctorCommand;
import dev.switchboard.cli.doctor.SetupCommand;
import dev.switchboard.cli.gateway.GatewayCommand;
import dev.switchboard.cli.gateway.MultiChannelServeCommand;
import dev.switchboard.cli.heartbeat.HeartbeatCommand;
import dev.switchboard.cli.logs.LogsCommand;
import dev.switchboard.cli.secrets.SecretsCommand;
import dev.switchboard.cli.status.HealthCommand;
import dev.switchboard.cli.status.StatusCommand;
import dev.switchboard.cli.store.StoreCommand;
import jakarta.inject.Inject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchboard}: the root command. It holds the {@link GlobalOptions}; the work is in subcommands,
 * which {@link RootCommandLine} adds (all of them, or only the one a command line names).
 */
@Command(
        name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Switchboard: a multi-channel chat gateway.",
        synopsisSubcommandLabel = "COMMAND",
        usageHelpAutoWidth = true)
public final class SwitchboardCommand extends GroupCommand {
    /** The top-level commands, in the order {@code --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            SetupCommand.class,
            GatewayCommand.class,
            MultiChannelServeCommand.class,
            StatusCommand.class,
            HealthCommand.class,
            ChatCommand.class,
            ChannelsCommand.class,
            ConfigCommand.class,
            SecretsCommand.class,
            HeartbeatCommand.class,
            StoreCommand.class,
            LogsCommand.class,
            DoctorCommand.class);

    @Mixin
    private GlobalOptions globals;

    @Inject
    public SwitchboardCommand(GlobalOptions globals) {
        this.globals = requireNonNull(globals, "globals is null");
    }

    public GlobalOptions globals() {
        return globals;
    }
}
