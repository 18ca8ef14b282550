package dev.switchboard.cli.store;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.store.StoreMigration;
import dev.switchboard.core.store.StoreUrls;
import dev.switchboard.spi.Secret;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard store migrate --to <url>}: copies this profile's store (its {@code store.url},
 * usually the SQLite file) into another, empty database — PostgreSQL for an operator who moves up.
 * The gateway of this state directory must be stopped: nothing may be accepted during the copy.
 * The target's password comes from an environment variable, never from the command line.
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Copy this profile's store into another, empty database (e.g. PostgreSQL).")
public final class StoreMigrateCommand implements Callable<Integer> {
    @Option(
            names = "--to",
            required = true,
            paramLabel = "URL",
            description = "The target store: jdbc:postgresql://<host>[:<port>]/<database> or jdbc:sqlite:<file>.")
    private String to = "";

    @Option(names = "--to-user", paramLabel = "USER", description = "The target database's user.")
    private @Nullable String toUser;

    @Option(
            names = "--to-password-env",
            paramLabel = "VAR",
            description = "The environment variable holding the target user's password.")
    private @Nullable String toPasswordEnv;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    StoreMigrateCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        Workspace workspace = Workspace.locate(globals, env);
        if (workspace.inspector(env.clock()).lockHeld()) {
            env.err()
                    .println("error: a gateway is running on " + workspace.stateDir()
                            + "; stop it first (switchboard gateway stop), so nothing is accepted during the copy");
            return ExitCodes.RUNTIME;
        }
        GatewayConfig config = workspace.loadConfig(channels.get(), true);
        SecretResolver resolver = new SecretResolver(env.env(), SecretResolver.DEFAULT_EXEC_TIMEOUT);
        StoreMigration.Location from = new StoreMigration.Location(
                config.store().url(workspace.stateDir()),
                config.store().user(),
                config.store().password().map(resolver::resolve));
        StoreMigration.Location target = new StoreMigration.Location(to, Optional.ofNullable(toUser), targetPassword());
        Map<String, Long> copied = StoreMigration.copy(from, target);
        long rows = copied.values().stream().mapToLong(Long::longValue).sum();
        String shown = StoreUrls.redacted(to); // core's redaction: no query string, no user:password@
        env.out().println("copied " + rows + " rows into " + shown + ":");
        copied.forEach((table, count) -> env.out().printf("  %-15s %d%n", table, count));
        env.out()
                .println("next: set store.url = \"" + shown + "\" (with store.user and store.password)"
                        + " in " + workspace.configFile().map(Object::toString).orElse("the config")
                        + ", then start the gateway");
        return ExitCodes.OK;
    }

    private Optional<Secret> targetPassword() {
        if (toPasswordEnv == null) {
            return Optional.empty();
        }
        String value = env.env().get(toPasswordEnv);
        if (value == null || value.isEmpty()) {
            throw SwitchboardException.usage(
                    "--to-password-env " + toPasswordEnv + ": the environment variable is not set");
        }
        return Optional.of(Secret.of(value));
    }
}
