package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.PresenceEntry;
import dev.switchboard.protocol.StateVersion;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The authenticated sockets: who is connected (presence), the gateway-wide {@code stateVersion},
 * and broadcasts to all of them. Broadcasts run in order on one thread of their own, never on an
 * I/O thread, so a join never stalls other sockets.
 */
public final class ConnectedClients implements AutoCloseable {
    /** At most one {@code presence} event this often. */
    static final Duration PRESENCE_COALESCE = Duration.ofMillis(250);
    /** {@code hello-ok.snapshot.presence} lists at most this many entries (every connect pays for it). */
    static final int SNAPSHOT_PRESENCE_LIMIT = 100;

    private final ScheduledExecutorService timers;
    private final Set<ControlConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong presenceVersion = new AtomicLong();
    private final AtomicLong healthVersion = new AtomicLong();
    private final AtomicBoolean presencePending = new AtomicBoolean();
    private final ExecutorService broadcaster = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "control-broadcast");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closing;

    public ConnectedClients(ScheduledExecutorService timers) {
        this.timers = requireNonNull(timers, "timers is null");
    }

    public int count() {
        return open.size();
    }

    /** True once the server started closing every socket: new ones are refused. */
    public boolean closing() {
        return closing;
    }

    public StateVersion stateVersion() {
        return new StateVersion(presenceVersion.get(), healthVersion.get());
    }

    /** The health part of the state changed. */
    public void healthChanged() {
        healthVersion.incrementAndGet();
    }

    void join(ControlConnection connection) {
        open.add(connection);
    }

    void leave(ControlConnection connection) {
        if (open.remove(connection) && !closing) {
            presenceChanged();
        }
    }

    /**
     * The set of sockets changed. Announced as a count, at most every {@link #PRESENCE_COALESCE}:
     * sending every join to every socket would cost the square of the sockets (cubed, with full
     * lists); a client that wants the entries asks {@code system-presence}.
     */
    void presenceChanged() {
        presenceVersion.incrementAndGet();
        if (presencePending.compareAndSet(false, true)) {
            try {
                var unused = timers.schedule( // a one-off that reports nothing back
                        () -> {
                            presencePending.set(false);
                            broadcast(
                                    Events.PRESENCE,
                                    FrameCodec.json().createObjectNode().put("count", open.size()));
                        },
                        PRESENCE_COALESCE.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // stopping: nobody is left to tell
            }
        }
    }

    /** {@code system-presence}: every socket, with the current {@code stateVersion}. */
    public ObjectNode presencePayload() {
        ObjectNode payload = FrameCodec.json().createObjectNode();
        payload.set(
                "presence",
                FrameCodec.json()
                        .valueToTree(open.stream()
                                .sorted(Comparator.comparing(ControlConnection::connId))
                                .map(ControlConnection::presence)
                                .toList()));
        payload.set("stateVersion", FrameCodec.json().valueToTree(stateVersion()));
        return payload;
    }

    /** At most {@link #SNAPSHOT_PRESENCE_LIMIT} entries, for {@code hello-ok}. */
    List<PresenceEntry> snapshotPresence() {
        return open.stream()
                .limit(SNAPSHOT_PRESENCE_LIMIT)
                .map(ControlConnection::presence)
                .toList();
    }

    /** Sends an event to every socket, each with its own {@code seq}; the payload is encoded once. */
    public void broadcast(String event, JsonNode payload) {
        String json = payload.toString();
        try {
            broadcaster.execute(() -> {
                for (ControlConnection connection : open) {
                    connection.sendEvent(event, json);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: nobody is left to tell
        }
    }

    /** Applies the read-progress rule to every socket ({@link ControlSocket#checkProgress}). */
    public void checkProgress() {
        long now = System.nanoTime();
        for (ControlConnection connection : open) {
            connection.checkProgress(now);
        }
    }

    /** Refuses new sockets from now on, sends {@code shutdown} to each open one, then closes it. */
    public void shutdown(JsonNode payload, int code, String reason) {
        closing = true;
        for (ControlConnection connection : List.copyOf(open)) {
            connection.sendEvent(Events.SHUTDOWN, payload);
            connection.close(code, reason);
        }
    }

    /**
     * Closes every socket that authenticated with the gateway's credential (close 4001): it was
     * rotated, and what it proved no longer holds. Sockets of the control token stay.
     */
    public int closeGatewayCredentialSockets(int code, String reason) {
        int closed = 0;
        for (ControlConnection connection : List.copyOf(open)) {
            if (connection.usesGatewayCredential()) {
                connection.close(code, reason);
                closed++;
            }
        }
        return closed;
    }

    @Override
    public void close() {
        broadcaster.shutdownNow();
    }
}
