package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchboard config get}: the configuration the running gateway is on, from RPC {@code
 * config.get}: its file, the hash of the file's text and every value, secrets as the gateway
 * redacted them (their source, never a value). Exits 1 when the gateway cannot be reached or answers
 * with an error.
 */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Show the configuration the running gateway is on (secrets redacted).")
public final class ConfigGetCommand implements Callable<Integer> {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Mixin
    private JsonOption json;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    ConfigGetCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        ConfigSnapshot snapshot = targets.resolve()
                .ask(
                        List.of(Scopes.READ),
                        CALL_TIMEOUT,
                        session -> session.call(Methods.CONFIG_GET, ConfigSnapshot.class));
        json.print(env.out(), snapshot, out -> print(snapshot, out));
        return ExitCodes.OK;
    }

    private static void print(ConfigSnapshot snapshot, PrintStream out) {
        out.println("path  " + snapshot.path().orElse("none (built-in defaults)"));
        out.println("hash  " + snapshot.hash());
        out.println();
        snapshot.lines().forEach(out::println);
    }
}
