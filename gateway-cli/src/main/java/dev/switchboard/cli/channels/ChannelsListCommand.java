package dev.switchboard.cli.channels;

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
import picocli.CommandLine.ParentCommand;

/** {@code switchboard channels list}: every channel family, its accounts and whether they are enabled. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List channels and their accounts.")
public final class ChannelsListCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON (stable, documented).")
    private boolean json;

    @ParentCommand
    private ChannelsCommand parent;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    ChannelsListCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        // `channels --json list` means the same as `channels list --json`
        return list(json || (parent != null && parent.json));
    }

    /** The listing; also what a bare {@code switchboard channels} runs. */
    int list(boolean asJson) {
        // TODO(issue-2): channels.get() for the families, the config for their accounts; print a table or JSON.
        return NotImplemented.report(env.err(), "channels list");
    }
}
