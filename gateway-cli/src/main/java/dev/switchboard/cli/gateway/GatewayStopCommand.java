package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.DurationConverter;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.core.owner.OwnerInspector;
import dev.switchboard.core.owner.OwnerStopper;
import dev.switchboard.core.owner.StopOutcome;
import dev.switchboard.core.owner.StopRequester;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard gateway stop}: ask the running gateway to shut down and wait for it. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the running gateway.")
public final class GatewayStopCommand implements Callable<Integer> {
    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long to wait for it to stop, e.g. 500ms, 30s, 2m (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    private final GlobalOptions globals;
    private final CliEnvironment env;

    @Inject
    GatewayStopCommand(GlobalOptions globals, CliEnvironment env) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public Integer call() {
        Workspace workspace = Workspace.localGateway(globals, env, "gateway stop");
        OwnerInspector inspector = workspace.inspector(env.clock());
        inspector.inspect().owner().filter(owner -> inspector.lockHeld()).ifPresent(owner -> env.err()
                .println("stopping gateway (pid " + owner.pid() + ")..."));
        StopOutcome outcome = new OwnerStopper(workspace.ownerPaths(), inspector, env.clock())
                .stop(timeout, StopRequester.UNREACHABLE);
        switch (outcome.result()) {
            case STOPPED -> {
                env.out().println("stopped");
                return ExitCodes.OK;
            }
            case NOT_RUNNING -> {
                env.out().println("not running");
                return ExitCodes.OK;
            }
            case TIMEOUT -> env.err().println("error: " + outcome.message());
            case REFUSED -> env.err().println("error: " + outcome.message());
        }
        return ExitCodes.RUNTIME;
    }
}
