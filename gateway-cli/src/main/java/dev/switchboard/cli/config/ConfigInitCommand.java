package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.cli.internal.FileModes;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLocator;
import dev.switchboard.core.config.StateDirectories;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard config init}: write a commented starter config file, by default {@code
 * <state>/switchboard.conf}; {@code --config PATH} (or {@code SWITCHBOARD_CONFIG_PATH}) writes there
 * instead, HOCON for {@code .conf}, TOML for {@code .toml}.
 */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Write a starter config file.")
public final class ConfigInitCommand implements Callable<Integer> {
    @Option(names = "--force", description = "Overwrite an existing config file.")
    private boolean force;

    private final GlobalOptions globals;
    private final CliEnvironment env;
    private final Provider<ChannelRegistry> channels;

    @Inject
    ConfigInitCommand(GlobalOptions globals, CliEnvironment env, Provider<ChannelRegistry> channels) {
        this.globals = requireNonNull(globals, "globals is null");
        this.env = requireNonNull(env, "env is null");
        this.channels = requireNonNull(channels, "channels is null");
    }

    @Override
    public Integer call() {
        ConfigLocator locator = new ConfigLocator(env.env(), env.home());
        Path stateDir = locator.stateDir(globals.stateDir(), globals.profile(), globals.dev());
        Optional<Path> explicit = explicitTarget();
        Path target = explicit.orElse(stateDir.resolve(ConfigLocator.FILE_NAMES.get(0)));
        StarterConfig.Format format = format(target);
        if (Files.exists(target) && !force) {
            throw SwitchboardException.config(
                    "config file " + target + " already exists; use 'switchboard config init --force' to overwrite it");
        }
        if (Files.isDirectory(target)) {
            throw SwitchboardException.config("config file " + target + " is a directory");
        }
        StateDirectories.ensure(stateDir);
        String content = StarterConfig.render(format, channels.get().providers());
        try {
            Files.createDirectories(target.getParent());
            FileModes.writePrivate(target, content);
        } catch (IOException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "cannot write " + target + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"),
                    e);
        }
        PrintStream out = env.out();
        // the next steps name this file and state dir when pasted, with the flags that chose them
        String configFlag = globals.config().isPresent() ? " --config " + target : "";
        String switchboard = "switchboard" + globals.stateFlags();
        out.println("wrote " + target);
        out.println("next steps:");
        out.println("  1. edit it: uncomment a channel section and set its secrets and allowlist");
        out.println("  2. " + switchboard + " config validate" + configFlag);
        out.println("  3. " + switchboard + " gateway run" + configFlag);
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code --config} > {@code SWITCHBOARD_CONFIG_PATH}; the file need not exist yet. */
    private Optional<Path> explicitTarget() {
        Optional<String> given = globals.config().map(Path::toString).or(() -> env.getenv(ConfigLocator.CONFIG_PATH_ENV)
                .map(String::trim));
        if (given.isEmpty()) {
            return Optional.empty();
        }
        String text = given.get();
        try {
            Path path = text.equals("~") || text.startsWith("~/")
                    ? env.home().resolve(text.substring(Math.min(2, text.length())))
                    : Path.of(text);
            return Optional.of(path.toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            throw SwitchboardException.usage("config path '" + text + "' is not a valid path");
        }
    }

    private static StarterConfig.Format format(Path target) {
        String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".conf")) {
            return StarterConfig.Format.HOCON;
        }
        if (name.endsWith(".toml")) {
            return StarterConfig.Format.TOML;
        }
        throw SwitchboardException.usage(
                "config init writes .conf or .toml (HOCON or TOML), not " + target.getFileName());
    }
}
