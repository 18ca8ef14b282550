package dev.switchboard.cli.channels;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.internal.GatewayText;
import dev.switchboard.cli.internal.JsonOutput;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard channels status}: the running gateway's live view of each channel account
 * (RPC {@code channels.status}): state, since when, message counters, restarts, last error, and
 * with {@code --probe} a credential check against the platform.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show each channel account's live state.")
public final class ChannelsStatusCommand implements Callable<Integer> {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--probe", description = "Also check each account's credentials against the platform.")
    private boolean probe;

    @Option(names = "--json", description = "Print the gateway's channels.status payload as JSON.")
    private boolean json;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    ChannelsStatusCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        Workspace workspace = Workspace.locate(globals, env);
        JsonNode payload;
        GatewayTarget target;
        try {
            target = GatewayTarget.resolve(globals, env, workspace, channels::get);
            try (GatewaySession session = target.connect(List.of(Scopes.READ), probe ? PROBE_TIMEOUT : CALL_TIMEOUT)) {
                payload = session.call(
                        Methods.CHANNELS_STATUS, GatewaySession.params().put("probe", probe));
            }
        } catch (GatewayRpcException e) {
            if (e.answered()) {
                throw e;
            }
            throw new GatewayRpcException(
                    e.code(),
                    false,
                    e.getMessage() + "\nfor what the config says without a gateway: switchboard" + globals.stateFlags()
                            + " channels list");
        }
        if (json) {
            JsonOutput.print(env.out(), payload);
            return ExitCodes.OK;
        }
        JsonNode accounts = payload.path("channels");
        if (accounts.isEmpty()) {
            env.out()
                    .println("no channel accounts running on " + target.url() + " (none enabled; see: switchboard"
                            + globals.stateFlags() + " channels list)");
        } else {
            GatewayText.channelTable(accounts, probe, env.clock().instant()).forEach(env.out()::println);
        }
        env.out().flush();
        return ExitCodes.OK;
    }
}
