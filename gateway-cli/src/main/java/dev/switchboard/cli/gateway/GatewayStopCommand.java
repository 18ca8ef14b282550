package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.DurationConverter;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.NotImplemented;
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
        // TODO(issue-2): send the stop request to the gateway and wait up to `timeout`.
        return NotImplemented.report(env.err(), "gateway stop");
    }
}
