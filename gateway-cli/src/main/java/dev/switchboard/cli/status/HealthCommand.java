package dev.switchboard.cli.status;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.Health;
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
 * {@code switchboard health}: RPC {@code health} on the gateway. Exits 1 when the gateway cannot be
 * reached, answers with an error, reports {@code ok:false}, or (with {@code --probe}) a channel
 * probe fails.
 */
@Command(name = "health", mixinStandardHelpOptions = true, description = "Ask the running gateway how it is.")
public final class HealthCommand implements Callable<Integer> {
    @Mixin
    private JsonOption json;

    @Option(
            names = {"--probe", "--verbose"},
            description = "Probe every channel account live (credential check against the platform).")
    private boolean probe;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    HealthCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        GatewayTarget target = targets.resolve();
        Health health = target.ask(
                List.of(Scopes.READ),
                probe ? Duration.ofSeconds(30) : Duration.ofSeconds(10),
                session -> session.call(Methods.HEALTH, GatewaySession.params().put("probe", probe), Health.class));
        return HealthReport.print(env.out(), json.enabled(), health, target, health);
    }
}
