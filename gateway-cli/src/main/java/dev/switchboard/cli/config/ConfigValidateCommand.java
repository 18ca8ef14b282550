package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.Workspace;
import dev.switchboard.cli.internal.Selections;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.ConfigProblem;
import dev.switchboard.core.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard config validate [file]}: load a config file and report every problem in it,
 * including those {@code gateway run} would find when it picks each channel's default account.
 * Secrets are not resolved here ({@code doctor} does that).
 */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a config file.")
public final class ConfigValidateCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE",
            description = "The file to check (default: the config the gateway would load).")
    private @Nullable Path file;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    ConfigValidateCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public Integer call() {
        ChannelRegistry registry = channels.get();
        GatewayConfig config;
        try {
            Optional<Path> given = file();
            config = given.isPresent()
                    ? new ConfigLoader(registry)
                            .load(given.get().toAbsolutePath().normalize())
                    : Workspace.locate(globals, env).loadConfig(registry, false);
        } catch (ConfigException e) {
            if (e.problems().isEmpty()) {
                throw e; // not about the file's content: a plain error line
            }
            return report(e);
        }
        String name = config.source().map(Path::toString).orElse("<defaults>");
        List<ConfigProblem> problems = selectionProblems(registry, config, name);
        if (!problems.isEmpty()) {
            return report(new ConfigException(name, problems));
        }
        int sections = config.channels().size();
        int accounts = config.channels().values().stream()
                .mapToInt(s -> s.accounts().size())
                .sum();
        env.out()
                .println("ok: " + name + " (" + plural(sections, "channel section") + ", " + plural(accounts, "account")
                        + ")");
        env.out().flush();
        return ExitCodes.OK;
    }

    /** What {@code gateway run} would refuse when it picks accounts: per section, every one. */
    static List<ConfigProblem> selectionProblems(ChannelRegistry registry, GatewayConfig config, String name) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (ChannelSection section : config.channels().values()) {
            Selections.refusal(registry, config, section)
                    .ifPresent(message -> problems.add(new ConfigProblem(name, 0, "", message)));
            if (section.enabled()) {
                Selections.sharedCredential(registry, config, section, (account, key) -> Optional.empty())
                        .ifPresent(message -> problems.add(new ConfigProblem(name, 0, "", message)));
            }
        }
        return problems;
    }

    private int report(ConfigException e) {
        e.getMessage().lines().forEach(env.err()::println);
        env.err().flush();
        return ExitCodes.CONFIG;
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
