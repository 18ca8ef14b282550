package dev.switchboard.cli.secrets;

import dev.switchboard.cli.GroupCommand;
import picocli.CommandLine.Command;

/** {@code switchboard secrets}: the config's secrets (audit, plan, migrate) and the running gateway's (reload). */
@Command(
        name = "secrets",
        mixinStandardHelpOptions = true,
        description = "Audit, plan and migrate the config's secrets; reload the running gateway's.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            SecretsAuditCommand.class,
            SecretsPlanCommand.class,
            SecretsMigrateCommand.class,
            SecretsReloadCommand.class
        })
public final class SecretsCommand extends GroupCommand {}
