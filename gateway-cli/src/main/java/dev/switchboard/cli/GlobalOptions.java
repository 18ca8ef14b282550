package dev.switchboard.cli;

import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Stack;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * Options every command accepts, anywhere on the command line: {@code switchboard --dev gateway
 * run} is {@code switchboard gateway run --dev}. Declared once, on the root command, with {@link
 * ScopeType#INHERIT}; picocli copies them into every subcommand but binds the copies to this one
 * object, so wherever the option stands, the value lands here.
 *
 * <p>There is one instance per CLI invocation (a singleton in that invocation's injector): a command
 * gets it by constructor injection and reads it in {@code call()}, after parsing.
 */
public final class GlobalOptions {
    @Option(
            names = "--config",
            paramLabel = "PATH",
            scope = ScopeType.INHERIT,
            description = "Config file (default: $SWITCHBOARD_CONFIG_PATH, else <state>/switchboard.{conf,toml,json}).")
    private @Nullable Path config;

    @Option(
            names = "--state-dir",
            paramLabel = "PATH",
            scope = ScopeType.INHERIT,
            description = "State directory (default: $SWITCHBOARD_STATE_DIR, else ~/.switchboard).")
    private @Nullable Path stateDir;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            scope = ScopeType.INHERIT,
            description = "Named profile: state in ~/.switchboard-<NAME>.")
    private @Nullable String profile;

    @Option(
            names = "--dev",
            scope = ScopeType.INHERIT,
            description = "Development mode: isolated state dir, port 19001, echo agent.")
    private boolean dev;

    @Option(
            names = "--url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description = "Gateway to talk to, e.g. ws://host:18789 (default: the local gateway).")
    private @Nullable URI url;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            scope = ScopeType.INHERIT,
            description = "Gateway auth token: the one to present, or for 'gateway run' the one to require"
                    + " (default: <state>/gateway/control.token, $SWITCHBOARD_GATEWAY_TOKEN).")
    private @Nullable String token;

    @Option(
            names = "--plugin-dir",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            parameterConsumer = AppendPath.class,
            description = "Channel plugin directory, or a plugin .jar; repeatable (default: $SWITCHBOARD_PLUGIN_PATH,"
                    + " else <state>/plugins).")
    private List<Path> pluginDirs = new ArrayList<>();

    @Inject
    public GlobalOptions() {}

    /** The options naming a local state directory, as {@link QuickPath} parses them without picocli. */
    static GlobalOptions of(@Nullable Path config, @Nullable Path stateDir, @Nullable String profile, boolean dev) {
        GlobalOptions options = new GlobalOptions();
        options.config = config;
        options.stateDir = stateDir;
        options.profile = profile;
        options.dev = dev;
        return options;
    }

    public Optional<Path> config() {
        return Optional.ofNullable(config);
    }

    public Optional<Path> stateDir() {
        return Optional.ofNullable(stateDir);
    }

    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    public boolean dev() {
        return dev;
    }

    /** The {@code --plugin-dir} values in command-line order; empty when none was given. */
    public List<Path> pluginDirs() {
        return List.copyOf(pluginDirs);
    }

    public Optional<URI> url() {
        return Optional.ofNullable(url);
    }

    /**
     * The token given with {@code --token}; a secret: never log or print it. Clients present it to
     * the gateway; {@code gateway run} requires it from clients (picocli allows no subcommand option
     * of the same name next to an inherited one, so both uses share this option).
     */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /**
     * The options that name this invocation's state directory ({@code --state-dir}, {@code --profile},
     * {@code --dev}), each with a leading space, so a printed hint works when pasted; empty when none
     * was given.
     */
    public String stateFlags() {
        StringBuilder flags = new StringBuilder();
        if (stateDir != null) {
            flags.append(" --state-dir ").append(stateDir);
        }
        if (profile != null) {
            flags.append(" --profile ").append(profile);
        }
        if (dev) {
            flags.append(" --dev");
        }
        return flags.toString();
    }

    /**
     * Appends each value of a repeatable inherited option to the one list. picocli's own handling
     * starts a fresh list in each command an inherited option is used in, so {@code --plugin-dir a
     * channels list --plugin-dir b} would lose {@code a}.
     */
    static final class AppendPath implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec option, CommandSpec command) {
            String name = ((OptionSpec) option).longestName();
            if (args.isEmpty()) {
                throw new ParameterException(
                        command.commandLine(),
                        "Missing required parameter for option '" + name + "' (" + option.paramLabel() + ")");
            }
            String value = args.pop();
            try {
                option.<List<Path>>getValue().add(Path.of(value));
            } catch (InvalidPathException e) {
                throw new ParameterException(
                        command.commandLine(),
                        "Invalid value for option '" + name + "': '" + value + "' is not a path");
            }
        }
    }

    @Override
    public String toString() {
        return "GlobalOptions{config=" + config + ", stateDir=" + stateDir + ", profile=" + profile + ", dev=" + dev
                + ", pluginDirs=" + pluginDirs + ", url=" + url + ", token=" + (token == null ? "null" : "***") + "}";
    }
}
