package dev.switchboard.cli;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigChecksum;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.ConfigLocator;
import dev.switchboard.core.config.ConfigLocator.ConfigLocations;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.HealthzProbe;
import dev.switchboard.core.owner.OwnerInspector;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.server.ListenAddress;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where this invocation's state directory and config file are, from the global options and the
 * environment (SPEC §2.1), and how to load the config. Every command that touches local state
 * starts here, so they all agree on which gateway they mean.
 */
public final class Workspace {
    /**
     * The gateway's optional environment file in the state dir: what the installed systemd unit reads
     * ({@code EnvironmentFile=-}) and {@code secrets migrate --to env} writes.
     */
    public static final String ENVIRONMENT_FILE = "gateway.env";

    private final ConfigLocations locations;
    private final GlobalOptions globals;

    private Workspace(ConfigLocations locations, GlobalOptions globals) {
        this.locations = locations;
        this.globals = globals;
    }

    /** Locates state dir and config file; reads and creates nothing. */
    public static Workspace locate(GlobalOptions globals, CliEnvironment env) {
        requireNonNull(globals, "globals is null");
        requireNonNull(env, "env is null");
        ConfigLocator locator = new ConfigLocator(env.env(), env.home());
        return new Workspace(
                locator.locate(globals.config(), globals.stateDir(), globals.profile(), globals.dev()), globals);
    }

    /** Reads the owner files and probes the owner's {@code /healthz}. */
    public OwnerInspector inspector(Clock clock) {
        return new OwnerInspector(ownerPaths(), clock, new HealthzProbe());
    }

    public Path stateDir() {
        return locations.stateDir();
    }

    /** {@code <state>/gateway.env}, see {@link #ENVIRONMENT_FILE}. */
    public Path environmentFile() {
        return locations.stateDir().resolve(ENVIRONMENT_FILE);
    }

    public OwnerPaths ownerPaths() {
        return new OwnerPaths(locations.stateDir());
    }

    public Optional<Path> configFile() {
        return locations.configFile();
    }

    /**
     * Whether the config file is the one {@code owner} runs, as it loaded it: the same path, and
     * bytes with owner.json's {@code configChecksum}. A gateway starts and reloads only on a file that
     * loads without a problem and is not in remote mode, so such a file need not be loaded again to
     * know that (~15 ms of the quick {@code health}: the channels and the config's binding).
     */
    public boolean configLoadedBy(OwnerRecord owner) {
        Optional<Path> file = locations.configFile();
        if (file.isEmpty()
                || owner.configChecksum().isEmpty()
                || !owner.configPath().equals(Optional.of(file.get().toString()))) {
            return false;
        }
        byte[] content;
        // a FileInputStream, as ConfigLoader reads it: no file channel classes for a short command
        try (InputStream in = new FileInputStream(file.get().toFile())) {
            content = in.readAllBytes();
        } catch (IOException e) {
            return false; // loading it says why
        }
        return ConfigChecksum.of(content).equals(owner.configChecksum().get());
    }

    /**
     * Loads the config file; without one, the built-in defaults when {@code allowDefaults}, else a
     * CONFIG refusal naming every path looked at and the ways out.
     */
    public GatewayConfig loadConfig(ChannelRegistry registry, boolean allowDefaults) {
        ConfigLoader loader = new ConfigLoader(registry);
        if (locations.configFile().isPresent()) {
            return loader.load(locations.configFile().get());
        }
        if (allowDefaults) {
            return loader.defaults();
        }
        String switchboard = "switchboard" + globals.stateFlags();
        throw SwitchboardException.config("no config file found (looked at "
                + locations.searched().stream().map(Path::toString).collect(Collectors.joining(", "))
                + "); write one with '" + switchboard + " config init'"
                + (globals.dev()
                        ? " ('" + switchboard + " gateway run' needs none: with --dev it runs on built-in defaults)"
                        : ", or run the gateway on built-in defaults with '" + switchboard
                                + " gateway run --allow-unconfigured' (or --dev: its own state dir, port "
                                + ListenAddress.DEV_PORT + ")"));
    }
}
