package dev.switchboard.cli.doctor;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.BundledChannels;
import dev.switchboard.cli.PluginLocations;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.SpiCompatibility;
import dev.switchboard.core.channel.plugins.ChannelPlugin;
import dev.switchboard.core.channel.plugins.ChannelPlugins;
import dev.switchboard.core.channel.plugins.PluginProblem;
import dev.switchboard.spi.SpiVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The doctor's view of the channel plugins: where they are looked for, one line per plugin with its
 * channels and SPI version, what does not load, a version skew, a channel id claimed twice. Also
 * the registry the other checks use: the built-in channels and every plugin that works, so one
 * broken plugin does not hide what the rest of the checklist would say.
 */
final class PluginChecks {
    /** The checks, in order, and the registry of everything that loaded. */
    record Result(List<Check> checks, ChannelRegistry registry) {
        Result {
            checks = List.copyOf(checks);
            requireNonNull(registry, "registry is null");
        }
    }

    private PluginChecks() {}

    static Result run(PluginLocations locations, ChannelPlugins plugins) {
        List<Check> checks = new ArrayList<>();
        if (locations.paths().isEmpty()) {
            checks.add(Check.ok(
                    "plugins",
                    locations.source().equals(PluginLocations.DEFAULT)
                            ? "none (no directory " + locations.defaultDir() + ")"
                            : "none (" + locations.source() + " names no directory or jar)"));
        } else {
            checks.add(Check.ok(
                    "plugins", Doctor.plural(plugins.plugins().size(), "plugin") + " from " + locations.describe()));
        }
        for (PluginProblem problem : plugins.problems()) {
            boolean location = locations.paths().contains(problem.path());
            checks.add(Check.fail(
                    location ? "plugins" : name(problem.path()),
                    problem.toString(),
                    location && !Files.exists(problem.path())
                            ? "create it, or fix " + locations.source()
                            : "replace or remove " + problem.path()));
        }
        List<ChannelPlugin> usable = new ArrayList<>();
        for (ChannelPlugin plugin : plugins.plugins()) {
            List<String> skews = plugin.providers().stream()
                    .map(SpiCompatibility::problem)
                    .flatMap(Optional::stream)
                    .toList();
            if (skews.isEmpty()) {
                checks.add(Check.ok(name(plugin.path()), plugin.summary()));
                usable.add(plugin);
            } else {
                checks.add(Check.fail(
                        name(plugin.path()),
                        plugin.summary() + "\n" + String.join("\n", skews),
                        "rebuild it against this gateway's gateway-spi (SPI " + SpiVersion.CURRENT + "), or remove "
                                + plugin.path()));
            }
        }
        ChannelRegistry registry;
        try {
            registry = BundledChannels.registry(usable);
        } catch (SwitchboardException e) {
            checks.add(Check.fail("plugins", e.getMessage(), "remove one of the two, or rename its channel"));
            registry = BundledChannels.registry(List.of());
        }
        return new Result(checks, registry);
    }

    /** {@code plugin echo.jar}. */
    private static String name(Path path) {
        Path file = path.getFileName();
        return "plugin " + (file == null ? path : file);
    }
}
