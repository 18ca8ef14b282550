package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A file read leniently: every problem the loader found, and the configuration as far as it could
 * be built (each key with a problem left at its default, each account without its bad keys), so
 * that the checks made on a loaded configuration can still run and report everything at once.
 *
 * @param problems what {@link ConfigLoader#load} would refuse the file for, in line order
 * @param config the configuration built around the problems; empty when the file does not parse
 * @param lines where the keys are written
 */
public record ConfigCheck(List<ConfigProblem> problems, Optional<GatewayConfig> config, ConfigLines lines) {
    public ConfigCheck {
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
        requireNonNull(config, "config is null");
        requireNonNull(lines, "lines is null");
    }

    public String file() {
        return lines.file();
    }
}
