package dev.switchboard.cli;

import dev.switchboard.cli.channels.ChannelsListCommand;
import dev.switchboard.cli.config.ConfigValidateCommand;
import dev.switchboard.cli.gateway.GatewayStatusCommand;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.plugins.ChannelPlugins;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The commands that run before (and without) the injector and picocli's command model, which cost
 * a short command most of its start-up (SPEC §12: {@code gateway status} within twice a bare {@code
 * java -version}): {@code gateway status [--json]}, {@code config validate [FILE]} and {@code channels
 * [list] [--json]}. Each runs the same code as its full command, so what it prints and its exit code
 * are the same. Only plain command lines take this path: those words, {@code --json} where the
 * command has it, and {@code
 * --config}, {@code --state-dir}, {@code --profile} (once each, {@code --opt value} or {@code
 * --opt=value}) and {@code --dev} anywhere. Anything else — {@code --deep}, {@code --url}, {@code
 * --plugin-dir}, {@code --help}, a typo, a repeated option, a state dir that cannot be located — goes
 * the full way, so usage errors and their messages stay picocli's.
 *
 * <p>{@code health [--json]}, {@code status [--json]} and {@code channels status [--json]} take it
 * too, for the local owner only ({@link QuickHealth}, {@link QuickStatus}): asked over a plain
 * WebSocket ({@link QuickSession}), printed by the full command's renderer; every other case goes
 * the full way.
 */
final class QuickPath {
    private static final List<String> VALUED = List.of("--config", "--state-dir", "--profile");
    private static final List<String> STATUS = List.of("gateway", "status");
    private static final List<String> VALIDATE = List.of("config", "validate");
    private static final List<String> CHANNELS = List.of("channels");
    private static final List<String> CHANNELS_LIST = List.of("channels", "list");
    private static final List<String> HEALTH = List.of("health");
    private static final List<String> STATUS_SUMMARY = List.of("status");
    private static final List<String> CHANNELS_STATUS = List.of("channels", "status");

    private QuickPath() {}

    /** Runs {@code args} when they are one of the plain command lines above; empty when they are not. */
    static OptionalInt run(CliEnvironment env, String... args) {
        Optional<Parsed> parsed = parse(args);
        if (parsed.isEmpty()) {
            return OptionalInt.empty();
        }
        GlobalOptions globals = parsed.get().globals();
        List<String> words = parsed.get().words();
        if (words.get(0).equals("config")) {
            return OptionalInt.of(ConfigValidateCommand.run(
                    globals, env, registry(globals, env), parsed.get().file()));
        }
        if (words.equals(CHANNELS_STATUS)) {
            return QuickStatus.channels(
                    globals, env, () -> registry(globals, env), parsed.get().json());
        }
        if (words.get(0).equals("channels")) {
            return OptionalInt.of(ChannelsListCommand.list(
                    globals, env, registry(globals, env), parsed.get().json()));
        }
        if (words.get(0).equals("health")) {
            return QuickHealth.run(
                    globals, env, () -> registry(globals, env), parsed.get().json());
        }
        if (words.equals(STATUS_SUMMARY)) {
            return QuickStatus.status(
                    globals, env, () -> registry(globals, env), parsed.get().json());
        }
        Workspace workspace;
        try {
            workspace = Workspace.locate(globals, env);
        } catch (SwitchboardException | InvalidPathException e) {
            return OptionalInt.empty(); // the full path reports it
        }
        return OptionalInt.of(
                GatewayStatusCommand.local(workspace, globals, parsed.get().json(), env));
    }

    /** The channels, as ChannelsModule provides them to the full commands. */
    private static ChannelRegistry registry(GlobalOptions globals, CliEnvironment env) {
        return BundledChannels.registry(
                ChannelPlugins.scan(PluginLocations.resolve(globals, env).paths()));
    }

    /** The global options, the command's words, {@code --json} and {@code config validate}'s FILE. */
    record Parsed(GlobalOptions globals, List<String> words, boolean json, Optional<Path> file) {}

    static Optional<Parsed> parse(String... args) {
        Map<String, String> values = new HashMap<>();
        List<String> words = new ArrayList<>();
        boolean dev = false;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (VALUED.contains(name)) {
                @Nullable String value = equals > 0 ? arg.substring(equals + 1) : (++i < args.length ? args[i] : null);
                if (value == null || value.isEmpty() || value.startsWith("-") || values.put(name, value) != null) {
                    return Optional.empty();
                }
            } else if (arg.equals("--dev") && !dev) {
                dev = true;
            } else if (arg.equals("--json")
                    && (words.equals(STATUS)
                            || words.equals(CHANNELS)
                            || words.equals(CHANNELS_LIST)
                            || words.equals(HEALTH)
                            || words.equals(STATUS_SUMMARY)
                            || words.equals(CHANNELS_STATUS))
                    && !json) {
                json = true;
            } else if (!arg.startsWith("-") && (words.size() < 2 || (words.equals(VALIDATE) && !arg.isEmpty()))) {
                words.add(arg);
            } else {
                return Optional.empty();
            }
        }
        boolean known = words.equals(STATUS)
                || words.equals(CHANNELS)
                || words.equals(CHANNELS_LIST)
                || words.equals(HEALTH)
                || words.equals(STATUS_SUMMARY)
                || words.equals(CHANNELS_STATUS)
                || (words.size() >= 2 && words.subList(0, 2).equals(VALIDATE));
        if (!known) {
            return Optional.empty();
        }
        try {
            // a FILE that is no path: the full command says so
            Optional<Path> file = words.size() == 3 ? Optional.of(Path.of(words.get(2))) : Optional.empty();
            return Optional.of(new Parsed(
                    GlobalOptions.of(
                            path(values.get("--config")),
                            path(values.get("--state-dir")),
                            values.get("--profile"),
                            dev),
                    List.copyOf(words),
                    json,
                    file));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static @Nullable Path path(@Nullable String value) {
        return value == null ? null : Path.of(value);
    }
}
