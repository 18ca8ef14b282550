package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Option(names = "--deep", description = "Also ask the running gateway which channel accounts have started.")
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
        OwnerStatus status = Workspace.localGateway(globals, env, "gateway status")
                .inspector(env.clock())
                .inspect();
        Map<String, Object> report = new LinkedHashMap<>(status.toJson());
        if (deep && status.state() == OwnerState.RUNNING && status.owner().isPresent()) {
            report.put("readiness", ReadinessProbe.fetch(status.owner().get()));
        }
        if (json) {
            env.out().println(StatusJson.write(report));
        } else {
            StatusText.print(status, report, env.out());
        }
        return ExitCodes.OK;
    }
}
