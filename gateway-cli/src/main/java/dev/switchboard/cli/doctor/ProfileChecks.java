package dev.switchboard.cli.doctor;

import dev.switchboard.cli.profiles.HostProfiles;
import dev.switchboard.cli.profiles.HostProfiles.Profile;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import dev.switchboard.core.server.ListenAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The runbook's multiple-gateways checklist: every profile on this host has its own port, config
 * file and state directory. The other profiles are the state directories {@link HostProfiles} finds;
 * a profile's port is its running gateway's, else the one its config gives (the default when unset).
 */
final class ProfileChecks {
    static final String NAME = "profiles";
    private static final String FIX =
            "give every profile its own gateway.port, config file and state dir (docs/operations.md, Multiple gateways)";

    private ProfileChecks() {}

    /** Where this profile's gateway listens, and where that was read. */
    private record Port(int port, String source) {}

    /** An other profile, as far as it could be read. */
    private record Other(Profile profile, Optional<Port> port, Optional<String> unknownPort) {}

    static Check check(
            HostProfiles profiles,
            Path stateDir,
            Optional<Path> configFile,
            Optional<ListenAddress> listen,
            OwnerStatus owner,
            ChannelRegistry registry) {
        Path self = stateDir.toAbsolutePath().normalize();
        String thisOne = profiles.of(self).map(p -> "this " + p.describe()).orElse("this state dir " + self);
        Optional<Port> ours = livePort(
                        owner.state() == OwnerState.RUNNING || owner.state() == OwnerState.UNRESPONSIVE
                                ? owner.owner()
                                : Optional.empty())
                .or(() -> listen.map(
                        l -> new Port(l.port(), "port from " + l.portSource().wireName())));
        List<String> conflicts = new ArrayList<>();
        List<Other> others = new ArrayList<>();
        for (Profile profile : profiles.list()) {
            if (profile.stateDir().equals(self)) {
                continue;
            }
            if (sameFile(profile.stateDir(), self)) {
                conflicts.add(thisOne + " and " + profile.describe() + " are the same state dir");
            }
            Optional<Path> theirConfig = profiles.configFile(profile);
            if (configFile.isPresent() && theirConfig.isPresent() && sameFile(configFile.get(), theirConfig.get())) {
                conflicts.add(thisOne + " and " + profile.describe() + " use the same config file " + configFile.get());
            }
            Other other = read(profiles, profile, theirConfig, registry);
            others.add(other);
            if (ours.isPresent()
                    && ours.get().port() != 0
                    && other.port().isPresent()
                    && other.port().get().port() == ours.get().port()) {
                conflicts.add("port " + ours.get().port() + " is used by " + thisOne + " ("
                        + ours.get().source() + ") and by " + profile.describe() + " ("
                        + other.port().get().source() + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            return Check.fail(NAME, String.join("\n", conflicts), FIX);
        }
        if (others.isEmpty()) {
            return Check.ok(NAME, "no other profiles on this host");
        }
        List<String> unknown = others.stream()
                .filter(o -> o.unknownPort().isPresent())
                .map(o -> o.profile().describe() + ": port unknown, "
                        + o.unknownPort().get())
                .toList();
        if (!unknown.isEmpty()) {
            return Check.warn(
                    NAME,
                    String.join("\n", unknown),
                    "check it with: "
                            + others.stream()
                                    .filter(o -> o.unknownPort().isPresent())
                                    .map(o -> o.profile().command() + " config validate")
                                    .findFirst()
                                    .orElseThrow());
        }
        List<String> ports = others.stream()
                .map(o -> o.profile().name() + ": " + o.port().orElseThrow().port() + " "
                        + o.port().orElseThrow().source())
                .toList();
        return Check.ok(
                NAME,
                Doctor.plural(others.size(), "other profile") + ", ports distinct (" + String.join(", ", ports) + ")");
    }

    private static Other read(HostProfiles profiles, Profile profile, Optional<Path> config, ChannelRegistry registry) {
        Optional<Port> live = livePort(profiles.liveOwner(profile));
        if (live.isPresent()) {
            return new Other(profile, live, Optional.empty());
        }
        boolean dev = profile.name().equals("dev");
        if (config.isEmpty()) {
            int port = dev ? ListenAddress.DEV_PORT : ListenAddress.DEFAULT_PORT;
            return new Other(profile, Optional.of(new Port(port, "default, no config")), Optional.empty());
        }
        try {
            GatewayConfig loaded = new ConfigLoader(registry).load(config.get());
            // its own environment is not this shell's: SWITCHBOARD_GATEWAY_PORT is not applied
            ListenAddress listen = ListenAddress.resolve(OptionalInt.empty(), Optional.empty(), Map.of(), loaded, dev);
            return new Other(
                    profile,
                    Optional.of(new Port(
                            listen.port(), "port from " + listen.portSource().wireName())),
                    Optional.empty());
        } catch (SwitchboardException e) {
            return new Other(profile, Optional.empty(), Optional.of("its config does not load (" + config.get() + ")"));
        }
    }

    private static Optional<Port> livePort(Optional<OwnerRecord> owner) {
        return owner.filter(o -> o.port().isPresent())
                .map(o -> new Port(o.port().getAsInt(), "its running gateway, pid " + o.pid()));
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
