package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.NotImplemented;
import dev.switchboard.core.channel.ChannelRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code switchboard config validate [file]}: load a config file and report every problem in it. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a config file.")
public final class ConfigValidateCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE",
            description = "The file to check (default: the config the gateway would load).")
    private Path file;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    ConfigValidateCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public Integer call() {
        // TODO(issue-2): load the file (or the located config), print all problems, exit 78 if any.
        return NotImplemented.report(env.err(), "config validate");
    }
}
