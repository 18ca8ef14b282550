package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.NotImplemented;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard config init}: write a starter config file into the state dir. */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Write a starter config file.")
public final class ConfigInitCommand implements Callable<Integer> {
    @Option(names = "--force", description = "Overwrite an existing config file.")
    private boolean force;

    private final GlobalOptions globals;
    private final CliEnvironment env;

    @Inject
    ConfigInitCommand(GlobalOptions globals, CliEnvironment env) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        // TODO(issue-2): create the state dir (0700) and write the starter config unless one exists (or --force).
        return NotImplemented.report(env.err(), "config init");
    }
}
