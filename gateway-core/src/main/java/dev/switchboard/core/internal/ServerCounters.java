package dev.switchboard.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the server turned away since the gateway started, for {@code health.server}: connections
 * refused at the cap, failed authentications and lockouts started. Thread-safe; counts only grow.
 */
public final class ServerCounters {
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder lockouts = new LongAdder();

    public void connectionRefused() {
        refusedConnections.increment();
    }

    /** A connect whose credentials were checked and refused. */
    public void authFailed() {
        authFailures.increment();
    }

    /** An address was locked out after too many failed authentications. */
    public void lockoutStarted() {
        lockouts.increment();
    }

    public long refusedConnections() {
        return refusedConnections.sum();
    }

    public long authFailures() {
        return authFailures.sum();
    }

    public long lockouts() {
        return lockouts.sum();
    }
}
