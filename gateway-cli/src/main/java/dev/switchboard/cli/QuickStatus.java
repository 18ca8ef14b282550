package dev.switchboard.cli;

import dev.switchboard.cli.gateway.GatewayStatusCommand;
import dev.switchboard.core.SwitchboardException;
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
 * {@code gateway status [--json]} before (and without) the injector and picocli's command model,
 * which together cost ~400 ms of a budget of twice a bare {@code java -version} (SPEC §12). Only
 * plain command lines take this path: the words {@code gateway status}, {@code --json} after them,
 * and {@code --config}, {@code --state-dir}, {@code --profile} (once each, {@code --opt value} or
 * {@code --opt=value}) and {@code --dev} anywhere. Anything else — {@code --deep}, {@code --url},
 * {@code --help}, a typo, a repeated option, a state dir that cannot be located — goes the full way, so
 * usage errors and their messages stay picocli's.
 */
final class QuickStatus {
    private static final List<String> VALUED = List.of("--config", "--state-dir", "--profile");

    private QuickStatus() {}

    /** Runs {@code args} when they are a plain {@code gateway status}; empty when they are not. */
    static OptionalInt run(CliEnvironment env, String... args) {
        Optional<Parsed> parsed = parse(args);
        if (parsed.isEmpty()) {
            return OptionalInt.empty();
        }
        Workspace workspace;
        try {
            workspace = Workspace.locate(parsed.get().globals(), env);
        } catch (SwitchboardException | InvalidPathException e) {
            return OptionalInt.empty(); // the full path reports it
        }
        return OptionalInt.of(GatewayStatusCommand.local(
                workspace, parsed.get().globals(), parsed.get().json(), env));
    }

    record Parsed(GlobalOptions globals, boolean json) {}

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
            } else if (arg.equals("--json") && words.size() == 2 && !json) {
                json = true;
            } else if (!arg.startsWith("-") && words.size() < 2) {
                words.add(arg);
            } else {
                return Optional.empty();
            }
        }
        if (!words.equals(List.of("gateway", "status"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Parsed(
                    GlobalOptions.of(
                            path(values.get("--config")),
                            path(values.get("--state-dir")),
                            values.get("--profile"),
                            dev),
                    json));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static @Nullable Path path(@Nullable String value) {
        return value == null ? null : Path.of(value);
    }
}
