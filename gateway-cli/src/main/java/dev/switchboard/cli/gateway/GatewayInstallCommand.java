package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.core.config.StateDirectories;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard gateway install}: writes a per-user service definition that runs {@code
 * gateway run} on this state dir (systemd user unit on Linux, LaunchAgent on macOS) and prints how
 * to start it. It starts nothing itself.
 */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        description = "Install the gateway as a user service (systemd user unit; LaunchAgent on macOS).")
public final class GatewayInstallCommand implements Callable<Integer> {
    @Option(names = "--force", description = "Overwrite an installed definition that differs.")
    private boolean force;

    private final GlobalOptions globals;
    private final CliEnvironment env;

    @Inject
    GatewayInstallCommand(GlobalOptions globals, CliEnvironment env) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() throws IOException {
        ServiceManager manager = ServiceSetup.currentManager();
        ServiceDefinition definition = ServiceSetup.definition(globals, env, manager);
        ServiceFiles files = ServiceSetup.files(env, manager);
        Path file = files.file(definition);
        // the unit's working directory must exist when the service manager starts it
        StateDirectories.ensure(definition.stateDir());
        switch (files.write(definition, force)) {
            case REFUSED -> {
                env.err()
                        .println("error: " + file + " exists and differs from the definition this would write;"
                                + " use --force to overwrite it");
                return ExitCodes.RUNTIME;
            }
            case UNCHANGED -> env.out().println("already installed: " + file);
            case REPLACED -> env.out().println("replaced " + file);
            case CREATED -> env.out().println("wrote " + file);
        }
        env.out().println("  runs: " + String.join(" ", definition.command()));
        if (manager == ServiceManager.SYSTEMD) {
            env.out()
                    .println("  environment: " + definition.environmentFile()
                            + " if it exists (yours to write, keep it 0600): the variables your {env} secret refs name;"
                            + " the unit holds no secret");
            env.out()
                    .println("  exit 78 (configuration refused) is not restarted: fix the config, then start it again");
            env.out()
                    .println("start it with: systemctl --user daemon-reload && systemctl --user enable --now "
                            + definition.name());
        } else {
            env.out()
                    .println(
                            "  secrets: none in the plist; use {file} secret refs (launchd reads no environment file)");
            env.out().println("start it with: launchctl bootstrap gui/$(id -u) " + file);
        }
        return ExitCodes.OK;
    }
}
