package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.NotImplemented;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard gateway status}: is the gateway up, on which port, with which channels.
 *
 * <p>Start-up budget (SPEC §12): wall time at most twice a bare {@code java -version}. Load no
 * more than needed: no channel discovery, no config parsing beyond what locating the gateway needs.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether the gateway is running.")
public final class GatewayStatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON (stable, documented).")
    private boolean json;

    @Option(names = "--deep", description = "Also probe every channel account.")
    private boolean deep;

    private final GlobalOptions globals;
    private final CliEnvironment env;

    @Inject
    GatewayStatusCommand(GlobalOptions globals, CliEnvironment env) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
    }

    public GlobalOptions globals() {
        return globals;
    }

    @Override
    public Integer call() {
        // TODO(issue-2): find the gateway (globals.url() or the local state dir), authenticate with
        //  <state>/gateway/control.token when readable, print status (json / deep).
        return NotImplemented.report(env.err(), "gateway status");
    }
}
