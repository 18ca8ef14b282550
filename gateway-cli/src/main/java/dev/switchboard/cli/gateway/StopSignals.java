package dev.switchboard.cli.gateway;

import dev.switchboard.core.Gateway;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM ({@code gateway stop}, systemd) and SIGINT (Ctrl-C) into a graceful close with the
 * signal named as the shutdown reason, so a gateway stopped on purpose exits 0 rather than 143. A
 * shutdown hook stays as the fallback for every other way the JVM can be asked to exit. {@code
 * sun.misc.Signal} lives in {@code jdk.unsupported}, kept accessible for exactly this (JEP 260).
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private final AtomicReference<Gateway> current = new AtomicReference<>();
    private final Thread hook = new Thread(() -> close("JVM shutdown"), "switchboard-shutdown");

    private StopSignals() {}

    /** Installs the handlers once; {@link #stops(Gateway)} says which gateway they stop. */
    static StopSignals install() {
        StopSignals signals = new StopSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> new Thread(
                                () -> signals.close("SIG" + name + " received"), "switchboard-stop")
                        .start());
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG{} here; the shutdown hook covers it", name);
            }
        }
        Runtime.getRuntime().addShutdownHook(signals.hook);
        return signals;
    }

    /** The gateway a signal stops from now on (a restart replaces it). */
    void stops(Gateway gateway) {
        current.set(gateway);
    }

    /** Removes the fallback hook once the launcher is done (the gateway already stopped). */
    void uninstall() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running or ran
        }
    }

    private void close(String reason) {
        Gateway gateway = current.get();
        if (gateway != null) {
            gateway.close(reason);
        }
    }
}
