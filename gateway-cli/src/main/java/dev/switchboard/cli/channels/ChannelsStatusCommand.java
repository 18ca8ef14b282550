package dev.switchboard.cli.channels;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    private JsonOption json;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    ChannelsStatusCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        GatewayTarget target;
        ChannelsStatus payload;
        try {
            target = targets.resolve();
            payload = target.ask(
                    List.of(Scopes.READ),
                    probe ? PROBE_TIMEOUT : CALL_TIMEOUT,
                    session -> session.call(
                            Methods.CHANNELS_STATUS,
                            GatewaySession.params().put("probe", probe),
                            ChannelsStatus.class));
        } catch (GatewayRpcException e) {
            if (e.answered()) {
                throw e;
            }
            throw new GatewayRpcException(
                    e.code(),
                    false,
                    e.getMessage() + "\nfor what the config says without a gateway: switchboard"
                            + targets.globals().stateFlags() + " channels list");
        }
        ChannelsStatusReport.print(
                env.out(),
                json.enabled(),
                payload,
                probe,
                target,
                targets.globals().stateFlags(),
                env.clock().instant());
        return ExitCodes.OK;
    }
}
