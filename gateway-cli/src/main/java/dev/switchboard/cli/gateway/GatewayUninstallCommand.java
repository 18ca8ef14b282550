package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code switchboard gateway uninstall}: removes what {@code gateway install} wrote. */
@Command(
        name = "uninstall",
        mixinStandardHelpOptions = true,
        description = "Remove the gateway's user service definition (stop and disable it first).")
public final class GatewayUninstallCommand implements Callable<Integer> {
    private final GlobalOptions globals;
    private final CliEnvironment env;

    @Inject
    GatewayUninstallCommand(GlobalOptions globals, CliEnvironment env) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() throws IOException {
        ServiceManager manager = ServiceSetup.currentManager();
        ServiceDefinition definition = ServiceSetup.definition(globals, env, manager);
        ServiceFiles files = ServiceSetup.files(env, manager);
        Path file = files.file(definition);
        if (files.enabled(definition)) {
            // systemctl disable needs the unit file: removing it first would strand the enable link
            env.err()
                    .println("error: " + definition.name() + " is still enabled; stop and disable it first:"
                            + " systemctl --user disable --now " + definition.name());
            return ExitCodes.RUNTIME;
        }
        if (!files.remove(definition)) {
            env.out().println("not installed (no " + file + ")");
            return ExitCodes.OK;
        }
        env.out().println("removed " + file);
        if (manager == ServiceManager.SYSTEMD) {
            env.out().println("then: systemctl --user daemon-reload");
        } else {
            env.out().println("if it is still loaded: launchctl bootout gui/$(id -u)/" + definition.name());
        }
        return ExitCodes.OK;
    }
}
