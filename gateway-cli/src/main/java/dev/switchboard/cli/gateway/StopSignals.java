package dev.switchboard.cli.gateway;

import dev.switchboard.core.Gateway;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM ({@code gateway stop}, systemd) and SIGINT (Ctrl-C) into a graceful close with the
 * signal named as the shutdown reason, so a gateway stopped on purpose exits 0 rather than 143. A
 * shutdown hook stays as the fallback for every other way the JVM can be asked to exit. {@code
 * sun.misc.Signal} lives in {@code jdk.unsupported}, kept accessible for exactly this (JEP 260).
 *
 * <p>A signal also arms a watchdog: the gateway's close returns within its shutdown deadline, but
 * something else (a shutdown hook, a thread that ignores the stop) could still keep the JVM alive. If
 * the process has not exited {@link #EXIT_GRACE} after the deadline, the watchdog logs that and halts
 * it with exit code 1: a stopped gateway never lingers as a zombie owner.
 */
final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
    /** What the JVM gets past the gateway's own shutdown deadline to exit on its own. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    private final AtomicReference<Gateway> current = new AtomicReference<>();
    private volatile Duration deadline = Duration.ofSeconds(30);
    private final AtomicBoolean watchdogArmed = new AtomicBoolean();
    private final Thread hook = new Thread(() -> close("JVM shutdown"), "switchboard-shutdown");

    private StopSignals() {}

    /** Installs the handlers once; {@link #stops} says which gateway they stop. */
    static StopSignals install() {
        StopSignals signals = new StopSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                // javac 17 warns about sun.misc as proprietary API whatever @SuppressWarnings says:
                // gateway-cli's pom drops that one warning (-XDignore.symbol.file)
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> signals.onSignal("SIG" + name));
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG{} here; the shutdown hook covers it", name);
            }
        }
        Runtime.getRuntime().addShutdownHook(signals.hook);
        return signals;
    }

    /** The gateway a signal stops from now on (a restart replaces it), and how long its stop may take. */
    void stops(Gateway gateway, Duration shutdownTimeout) {
        deadline = shutdownTimeout;
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

    private void onSignal(String signal) {
        armWatchdog(signal);
        new Thread(() -> close(signal + " received"), "switchboard-stop").start();
    }

    private void armWatchdog(String signal) {
        if (!watchdogArmed.compareAndSet(false, true)) {
            return;
        }
        Duration limit = deadline.plus(EXIT_GRACE);
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(limit.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    log.error(
                            "the process did not exit within {} s of {}; halting it (exit 1)",
                            limit.toSeconds(),
                            signal);
                    Runtime.getRuntime().halt(1);
                },
                "switchboard-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void close(String reason) {
        Gateway gateway = current.get();
        if (gateway != null) {
            gateway.close(reason);
        }
    }
}
