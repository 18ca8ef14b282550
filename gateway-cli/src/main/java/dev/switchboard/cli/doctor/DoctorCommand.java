package dev.switchboard.cli.doctor;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.NotImplemented;
import dev.switchboard.core.channel.ChannelRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard doctor}: a checklist of what could stop the gateway from working, with fixes. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check the installation and config.")
public final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON (stable, documented).")
    private boolean json;

    @Option(names = "--fix", description = "Repair what can be repaired safely (permissions, stale owners).")
    private boolean fix;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    DoctorCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        // TODO(issue-2): the checks of SPEC §9 (one line each with a fix hint); non-zero exit when one fails.
        return NotImplemented.report(env.err(), "doctor");
    }
}
