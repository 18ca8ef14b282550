package dev.switchboard.cli.channels;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.NotImplemented;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard channels status}: the running gateway's view of each channel account. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show each channel account's state.")
public final class ChannelsStatusCommand implements Callable<Integer> {
    @Option(names = "--probe", description = "Check each account's credentials against the platform.")
    private boolean probe;

    @Option(names = "--json", description = "Print JSON (stable, documented).")
    private boolean json;

    private final GlobalOptions globals;
    private final CliEnvironment env;

    @Inject
    ChannelsStatusCommand(GlobalOptions globals, CliEnvironment env) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        // TODO(issue-2): ask the gateway for channel states (probe if asked); table or JSON.
        return NotImplemented.report(env.err(), "channels status");
    }
}
