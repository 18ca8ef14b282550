package dev.switchboard.core.server;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The listen address is taken (a configuration refusal). When the holder answered {@code /healthz}
 * as a switchboard gateway, its instance id and pid say which one, so a launcher can tell the
 * operator how to reach it (which state directory or profile owns that instance).
 */
public final class PortInUseException extends SwitchboardException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final @Nullable String holderInstanceId;
    private final long holderPid;

    /**
     * @param holderInstanceId the holder's {@code instanceId} from its {@code /healthz}, if it is a gateway
     * @param holderPid its pid, if it said
     */
    public PortInUseException(ListenAddress address, Optional<String> holderInstanceId, OptionalLong holderPid) {
        super(Kind.CONFIG, message(address, holderInstanceId, holderPid));
        this.host = address.host();
        this.port = address.port();
        this.holderInstanceId = holderInstanceId.orElse(null);
        this.holderPid = holderPid.orElse(-1);
    }

    private static String message(ListenAddress address, Optional<String> instance, OptionalLong pid) {
        requireNonNull(address, "address is null");
        String taken = "another process is already listening on " + address.host() + ":" + address.port();
        if (instance.isEmpty()) {
            return taken;
        }
        return taken + " (a switchboard gateway" + (pid.isPresent() ? ", pid " + pid.getAsLong() : "") + ", instance "
                + instance.get() + "; see: switchboard gateway status)";
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The holding gateway's instance id; empty when the holder is not a switchboard gateway. */
    public Optional<String> holderInstanceId() {
        return Optional.ofNullable(holderInstanceId);
    }

    public OptionalLong holderPid() {
        return holderPid < 0 ? OptionalLong.empty() : OptionalLong.of(holderPid);
    }
}
