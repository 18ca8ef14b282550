package dev.switchboard.cli.profiles;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.config.ConfigLocator;
import dev.switchboard.core.owner.LivenessProbe;
import dev.switchboard.core.owner.OwnerInspector;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateways' state directories on this host: {@code ~/.switchboard} (the default profile), {@code
 * ~/.switchboard-<profile>} and {@code ~/.switchboard-dev} ({@code --dev}), found by the same rules as
 * {@link ConfigLocator}. What the runbook's multiple-gateways checklist compares, and where a taken
 * port's holder is looked up.
 */
public final class HostProfiles {
    private static final String PREFIX = ".switchboard";

    private final Path home;
    private final Clock clock;

    public HostProfiles(Path home, Clock clock) {
        this.home = requireNonNull(home, "home is null").toAbsolutePath().normalize();
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * One profile's state directory.
     *
     * @param name {@code default}, the profile name, or {@code dev}
     * @param flags the global options that select it, e.g. {@code " --profile work"} ({@code ""} for the default)
     */
    public record Profile(String name, String flags, Path stateDir) {
        public Profile {
            requireNonNull(name, "name is null");
            requireNonNull(flags, "flags is null");
            requireNonNull(stateDir, "stateDir is null");
        }

        /** {@code profile work (/home/ops/.switchboard-work)}. */
        public String describe() {
            return "profile " + name + " (" + stateDir + ")";
        }

        /** {@code switchboard --profile work}: the command prefix that reaches this profile. */
        public String command() {
            return "switchboard" + flags;
        }
    }

    /** The profiles whose state directory exists, the default first, then by name. */
    public List<Profile> list() {
        List<Profile> found = new ArrayList<>();
        ConfigLocator locator = new ConfigLocator(Map.of(), home);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(home, PREFIX + "*")) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    profileOf(locator, entry.getFileName().toString()).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            return List.of(); // no readable home: no profiles to compare with
        }
        found.sort(
                Comparator.comparing((Profile p) -> !p.name().equals("default")).thenComparing(Profile::name));
        return List.copyOf(found);
    }

    private Optional<Profile> profileOf(ConfigLocator locator, String dirName) {
        if (dirName.equals(PREFIX)) {
            return Optional.of(new Profile("default", "", locator.stateDir(Optional.empty(), Optional.empty(), false)));
        }
        if (!dirName.startsWith(PREFIX + "-")) {
            return Optional.empty();
        }
        String name = dirName.substring(PREFIX.length() + 1);
        if (name.equals("dev")) {
            return Optional.of(
                    new Profile("dev", " --dev", locator.stateDir(Optional.empty(), Optional.empty(), true)));
        }
        try {
            Path dir = locator.stateDir(Optional.empty(), Optional.of(name), false);
            return Optional.of(new Profile(name, " --profile " + name, dir));
        } catch (SwitchboardException e) {
            return Optional.empty(); // not a name --profile accepts, so not a profile's directory
        }
    }

    /** The profile whose state directory is {@code stateDir}, if it is one of this host's. */
    public Optional<Profile> of(Path stateDir) {
        Path normal = stateDir.toAbsolutePath().normalize();
        return list().stream().filter(p -> p.stateDir().equals(normal)).findFirst();
    }

    /** The owner record of the live gateway (lock held) of {@code profile}, if one runs. */
    public Optional<OwnerRecord> liveOwner(Profile profile) {
        // the lock says whether it lives; the probe would only add a round trip
        OwnerStatus status =
                new OwnerInspector(new OwnerPaths(profile.stateDir()), clock, LivenessProbe.NONE).inspect();
        boolean live = status.state() == OwnerState.RUNNING || status.state() == OwnerState.UNRESPONSIVE;
        return live ? status.owner() : Optional.empty();
    }

    /**
     * Its config file by the locator's rules for a state directory (the first of {@code
     * switchboard.conf}, {@code .toml}, {@code .json}); this shell's {@code SWITCHBOARD_CONFIG_PATH} is
     * not the other profile's.
     */
    public Optional<Path> configFile(Profile profile) {
        return new ConfigLocator(Map.of(), home)
                .locate(Optional.empty(), Optional.of(profile.stateDir()), Optional.empty(), false)
                .configFile();
    }
}
