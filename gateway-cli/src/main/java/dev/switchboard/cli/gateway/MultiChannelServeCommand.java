package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.owner.OwnerRecord;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard multi-channel-serve}: serve one session over several channel accounts. */
@Command(
        name = "multi-channel-serve",
        mixinStandardHelpOptions = true,
        description = "Serve one session over the given channel accounts.")
public final class MultiChannelServeCommand implements Callable<Integer> {
    @Option(names = "--session", paramLabel = "S", required = true, description = "Session key for the agent.")
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): a required option
    private String session;

    @Option(names = "--channel-account", paramLabel = "C=A", description = "Serve account A of channel C (repeatable).")
    private List<String> channelAccounts = new ArrayList<>();

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    MultiChannelServeCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        if (session.isBlank()) {
            throw SwitchboardException.usage("multi-channel-serve --session must not be empty");
        }
        return new GatewayLauncher(globals, env, channels.get())
                .run(new GatewayLauncher.Request(
                        OwnerRecord.Mode.MULTI_CHANNEL_SERVE,
                        Optional.of(session.trim()),
                        List.copyOf(channelAccounts),
                        OptionalInt.empty(),
                        Optional.empty(),
                        false,
                        false,
                        false));
    }
}
