package dev.switchboard.cli.gateway;

import dev.switchboard.core.Gateway;
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

    private StopSignals() {}

    /** Installs the handlers; returns the fallback hook so a failed start can remove it. */
    static Thread install(Gateway gateway) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> new Thread(
                                () -> gateway.close("SIG" + name + " received"), "switchboard-stop")
                        .start());
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG{} here; the shutdown hook covers it", name);
            }
        }
        Thread hook = new Thread(() -> gateway.close("JVM shutdown"), "switchboard-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
