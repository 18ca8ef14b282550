package dev.switchboard.cli.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.cli.internal.JsonOption;
import dev.switchboard.cli.internal.ReloadAnswer;
import dev.switchboard.cli.internal.ReloadText;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code switchboard secrets reload}: has the running gateway resolve every secret again without
 * changing its config (RPC {@code secrets.reload}, SPEC §2.3) and prints what changed: the secrets'
 * key paths, the accounts restarted for them, and every account left degraded with the reason. Exits
 * 1 when the gateway rejected the reload (its own auth secret did not resolve: the old secrets stay)
 * or cannot be reached.
 */
@Command(
        name = "reload",
        mixinStandardHelpOptions = true,
        description = "Have the running gateway resolve every secret again and apply what changed.")
public final class SecretsReloadCommand implements Callable<Integer> {
    /** Every secret is resolved again, and an exec secret may take 5 s. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    private JsonOption json;

    private final GatewayTargets targets;
    private final CliEnvironment env;

    @Inject
    SecretsReloadCommand(GatewayTargets targets, CliEnvironment env) {
        this.targets = requireNonNull(targets, "targets is null");
        this.env = requireNonNull(env, "env is null");
    }

    @Override
    public Integer call() {
        ReloadAnswer answer = targets.resolve()
                .ask(
                        List.of(Scopes.ADMIN),
                        CALL_TIMEOUT,
                        session -> session.call(Methods.SECRETS_RELOAD, ReloadAnswer.class));
        json.print(env.out(), answer, out -> print(answer, out));
        return ExitCodes.OK;
    }

    private static void print(ReloadAnswer answer, PrintStream out) {
        out.println(
                "secrets reloaded: " + answer.message().orElse(answer.action().orElse("done")));
        if (!answer.changes().isEmpty()) {
            ReloadText.changes(answer).forEach(line -> out.println("  " + line));
            ReloadText.accounts(out, answer);
        }
        ReloadText.degraded(out, answer.degraded().orElse(Map.of()));
    }
}
