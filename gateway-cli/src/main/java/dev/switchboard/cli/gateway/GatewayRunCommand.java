package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.owner.OwnerRecord;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard gateway run}: the long-running gateway in the foreground (SPEC §9).
 *
 * <p>{@code --token} here is the token the gateway requires from its clients. It is the global
 * {@code --token} option (see {@link GlobalOptions#token()}), which this command reads as the
 * server's token, so {@code switchboard --token T gateway run} works the same.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway in the foreground.")
public final class GatewayRunCommand implements Callable<Integer> {
    @Option(names = "--session", paramLabel = "S", description = "Session key for the agent.")
    private @Nullable String session;

    @Option(
            names = "--channel-account",
            paramLabel = "C=A",
            description = "Run account A of channel C (repeatable; default: each enabled channel's default account).")
    private List<String> channelAccounts = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: gateway.port, 18789).")
    private @Nullable Integer port;

    @Option(
            names = "--bind",
            paramLabel = "B",
            description = "loopback, lan or an IP address (default: gateway.bind, loopback).")
    private @Nullable String bind;

    @Option(names = "--force", description = "Take over the state dir from a gateway that no longer answers.")
    private boolean force;

    @Option(names = "--allow-unconfigured", description = "Run on built-in defaults when no config file exists.")
    private boolean allowUnconfigured;

    @Option(names = "--verbose", description = "Log at DEBUG level.")
    private boolean verbose;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    GatewayRunCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    public Optional<String> session() {
        return Optional.ofNullable(session);
    }

    public List<String> channelAccounts() {
        return List.copyOf(channelAccounts);
    }

    public Optional<Integer> port() {
        return Optional.ofNullable(port);
    }

    public Optional<String> bind() {
        return Optional.ofNullable(bind);
    }

    @Override
    public Integer call() throws InterruptedException {
        return new GatewayLauncher(globals, env, channels.get())
                .run(new GatewayLauncher.Request(
                        OwnerRecord.Mode.GATEWAY,
                        session(),
                        channelAccounts(),
                        port == null ? OptionalInt.empty() : OptionalInt.of(port),
                        bind(),
                        force,
                        allowUnconfigured,
                        verbose));
    }
}
