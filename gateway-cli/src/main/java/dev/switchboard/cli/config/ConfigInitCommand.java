package dev.switchboard.cli.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.CliEnvironment;
import dev.switchboard.cli.ExitCodes;
import dev.switchboard.cli.GlobalOptions;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLocator;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
        Path target = StarterFile.target(globals, env);
        StarterFile.format(target); // a wrong extension is a usage error before anything else
        if (Files.exists(target) && !force) {
            throw SwitchboardException.config(
                    "config file " + target + " already exists; use 'switchboard config init --force' to overwrite it");
        }
        if (Files.isDirectory(target)) {
            throw SwitchboardException.config("config file " + target + " is a directory");
        }
        StarterFile.write(target, stateDir, channels.get().providers(), Map.of());
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
}
