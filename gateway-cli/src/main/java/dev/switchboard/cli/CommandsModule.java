package dev.switchboard.cli;

import com.google.inject.AbstractModule;
import dev.switchboard.cli.channels.ChannelsCommand;
import dev.switchboard.cli.channels.ChannelsListCommand;
import dev.switchboard.cli.channels.ChannelsStatusCommand;
import dev.switchboard.cli.chat.ChatCommand;
import dev.switchboard.cli.config.ConfigCommand;
import dev.switchboard.cli.config.ConfigGetCommand;
import dev.switchboard.cli.config.ConfigInitCommand;
import dev.switchboard.cli.config.ConfigPlanCommand;
import dev.switchboard.cli.config.ConfigValidateCommand;
import dev.switchboard.cli.doctor.DoctorCommand;
import dev.switchboard.cli.doctor.SetupCommand;
import dev.switchboard.cli.gateway.GatewayCommand;
import dev.switchboard.cli.gateway.GatewayInstallCommand;
import dev.switchboard.cli.gateway.GatewayRestartCommand;
import dev.switchboard.cli.gateway.GatewayRunCommand;
import dev.switchboard.cli.gateway.GatewayStatusCommand;
import dev.switchboard.cli.gateway.GatewayStopCommand;
import dev.switchboard.cli.gateway.GatewayUninstallCommand;
import dev.switchboard.cli.gateway.MultiChannelServeCommand;
import dev.switchboard.cli.heartbeat.HeartbeatCommand;
import dev.switchboard.cli.heartbeat.HeartbeatDisableCommand;
import dev.switchboard.cli.heartbeat.HeartbeatEnableCommand;
import dev.switchboard.cli.heartbeat.HeartbeatLastCommand;
import dev.switchboard.cli.heartbeat.HeartbeatWakeCommand;
import dev.switchboard.cli.logs.LogsCommand;
import dev.switchboard.cli.secrets.SecretsAuditCommand;
import dev.switchboard.cli.secrets.SecretsCommand;
import dev.switchboard.cli.secrets.SecretsMigrateCommand;
import dev.switchboard.cli.secrets.SecretsPlanCommand;
import dev.switchboard.cli.secrets.SecretsReloadCommand;
import dev.switchboard.cli.status.HealthCommand;
import dev.switchboard.cli.status.StatusCommand;
import dev.switchboard.cli.store.StoreCommand;
import dev.switchboard.cli.store.StoreMigrateCommand;

/**
 * Every picocli command class, so picocli gets them from the injector (see {@link GuiceFactory}).
 * A new command goes into {@code subcommands = {...}} of its parent (a top-level one into {@link
 * SwitchboardCommand#SUBCOMMANDS}) and here.
 */
public final class CommandsModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(SwitchboardCommand.class);
        bind(GatewayCommand.class);
        bind(GatewayRunCommand.class);
        bind(GatewayStatusCommand.class);
        bind(GatewayStopCommand.class);
        bind(GatewayRestartCommand.class);
        bind(GatewayInstallCommand.class);
        bind(GatewayUninstallCommand.class);
        bind(MultiChannelServeCommand.class);
        bind(HeartbeatCommand.class);
        bind(HeartbeatLastCommand.class);
        bind(HeartbeatEnableCommand.class);
        bind(HeartbeatDisableCommand.class);
        bind(HeartbeatWakeCommand.class);
        bind(ChannelsCommand.class);
        bind(ChannelsListCommand.class);
        bind(ChannelsStatusCommand.class);
        bind(ConfigCommand.class);
        bind(ConfigInitCommand.class);
        bind(ConfigValidateCommand.class);
        bind(ConfigPlanCommand.class);
        bind(ConfigGetCommand.class);
        bind(SecretsCommand.class);
        bind(StoreCommand.class);
        bind(SecretsAuditCommand.class);
        bind(SecretsPlanCommand.class);
        bind(SecretsMigrateCommand.class);
        bind(SecretsReloadCommand.class);
        bind(StoreMigrateCommand.class);
        bind(LogsCommand.class);
        bind(DoctorCommand.class);
        bind(SetupCommand.class);
        bind(StatusCommand.class);
        bind(HealthCommand.class);
        bind(ChatCommand.class);
        // what the commands that talk to a gateway share
        bind(GatewayTargets.class);
    }
}
