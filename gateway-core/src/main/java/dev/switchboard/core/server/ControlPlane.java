package dev.switchboard.core.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.routing.WebChat;
import dev.switchboard.spi.AccountStatus;
import dev.switchboard.spi.ProbeResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the control protocol may ask of the running gateway. Implemented by the gateway itself; the
 * server never reaches into its internals.
 */
public interface ControlPlane {
    String instanceId();

    String version();

    long uptimeMs();

    /** {@code status}: who and where the gateway is, as one object. */
    ObjectNode status();

    /** Every running account's state and counters. */
    List<AccountStatus> channels();

    /**
     * Checks every running account's credentials against its platform, keyed {@code
     * channel.account}. Blocks (network calls): never call it on an I/O thread.
     */
    Map<String, ProbeResult> probeChannels();

    /** {@code config.get}: the active configuration with every secret replaced by its source. */
    ObjectNode config();

    /** Stops the gateway soon, after the current response is sent. */
    void requestStop(String reason);

    /** Restarts the gateway in-process (re-reading the config) after the current response is sent. */
    void requestRestart(String reason);

    /** The built-in webchat of {@code chat.*} and {@code sessions.*}; empty when the gateway runs no reply loop. */
    default Optional<WebChat> webChat() {
        return Optional.empty();
    }
}
