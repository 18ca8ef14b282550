package dev.switchboard.cli.profiles;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.server.PortInUseException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names the profile whose gateway holds a port this gateway could not bind, so the refusal points at
 * {@code switchboard --profile <p> gateway status} rather than this profile's status.
 */
public final class PortHolder {
    private PortHolder() {}

    /**
     * The refusal to show: {@code taken}'s own message when no other profile's live gateway holds the
     * port, else one naming that profile, its pid and the command that shows it.
     */
    public static SwitchboardException explain(PortInUseException taken, HostProfiles profiles, Path stateDir) {
        Path self = stateDir.toAbsolutePath().normalize();
        for (HostProfiles.Profile profile : profiles.list()) {
            if (profile.stateDir().equals(self)) {
                continue;
            }
            Optional<OwnerRecord> owner = profiles.liveOwner(profile).filter(o -> holds(o, taken));
            if (owner.isPresent()) {
                return SwitchboardException.config("another process is already listening on " + taken.host() + ":"
                        + taken.port() + " (the gateway of " + profile.describe() + ", pid "
                        + owner.get().pid()
                        + "; see: " + profile.command() + " gateway status)");
            }
        }
        return taken;
    }

    private static boolean holds(OwnerRecord owner, PortInUseException taken) {
        if (taken.holderInstanceId().isPresent()) {
            return taken.holderInstanceId().get().equals(owner.instanceId());
        }
        return owner.port().isPresent() && owner.port().getAsInt() == taken.port();
    }
}
