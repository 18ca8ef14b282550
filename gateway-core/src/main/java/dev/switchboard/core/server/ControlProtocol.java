package dev.switchboard.core.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.StateVersion;
import dev.switchboard.spi.AccountStatus;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control protocol's server side (SPEC §5.3): accepts WebSocket connections on the gateway's
 * port, keeps the set of authenticated sockets, and broadcasts events to them, each with its own
 * {@code seq}. Blocking method calls run on {@code workers}, never on Undertow's I/O threads.
 */
public final class ControlProtocol implements WebSocketConnectionCallback, AutoCloseable {
    static final Duration PRESENCE_COALESCE = Duration.ofMillis(250);
    static final int SNAPSHOT_PRESENCE_LIMIT = 100;

    private final ControlPlane plane;
    private final ServerLimits limits;
    private final ConnectGuard guard;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final ControlMethods methods;
    private final Set<ControlConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong presenceVersion = new AtomicLong();
    private final AtomicLong healthVersion = new AtomicLong();
    private final ScheduledFuture<?> ticks;
    /** Broadcasts run here, in order, never on an I/O thread: a join must not stall other sockets. */
    private final ExecutorService broadcaster = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "control-broadcast");
        thread.setDaemon(true);
        return thread;
    });

    private final AtomicBoolean presencePending = new AtomicBoolean();
    private volatile boolean closing;

    public ControlProtocol(
            ControlPlane plane,
            ServerLimits limits,
            ConnectGuard guard,
            ExecutorService workers,
            ScheduledExecutorService timers) {
        this.plane = requireNonNull(plane, "plane is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.guard = requireNonNull(guard, "guard is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.methods = new ControlMethods(plane, this);
        long tick = limits.tickInterval().toMillis();
        this.ticks = timers.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        ControlConnection connection = new ControlConnection(
                this,
                channel,
                Optional.ofNullable(exchange.getRequestHeader("Origin")),
                Optional.ofNullable(exchange.getRequestHeader("Host")));
        if (closing) {
            connection.close(CloseCodes.RESTART, "gateway is shutting down");
            return;
        }
        connection.open();
    }

    /** A channel account's state changed: a {@code channel} event, then the new {@code health}. */
    public void channelChanged(AccountStatus status) {
        healthVersion.incrementAndGet();
        broadcast(Events.CHANNEL, ControlMethods.channelJson(status));
        broadcast(Events.HEALTH, methods.health(false, false));
    }

    /**
     * Sends {@code shutdown} to every socket, then closes them: 1012 when a restart follows, 1000
     * otherwise. New sockets are refused from here on.
     */
    public void shutdown(String reason, Optional<Long> restartExpectedMs) {
        closing = true;
        ObjectNode payload = FrameCodec.json().createObjectNode().put("reason", reason);
        restartExpectedMs.ifPresent(ms -> payload.put("restartExpectedMs", ms));
        int code = restartExpectedMs.isPresent() ? CloseCodes.RESTART : CloseCodes.NORMAL;
        for (ControlConnection connection : List.copyOf(open)) {
            connection.sendEvent(Events.SHUTDOWN, payload);
            connection.close(code, restartExpectedMs.isPresent() ? "gateway restarting" : "gateway stopping");
        }
    }

    @Override
    public void close() {
        ticks.cancel(false);
        if (!closing) {
            shutdown("closed", Optional.empty());
        }
        broadcaster.shutdownNow();
    }

    public int connectionCount() {
        return open.size();
    }

    StateVersion stateVersion() {
        return new StateVersion(presenceVersion.get(), healthVersion.get());
    }

    ObjectNode presencePayload() {
        ObjectNode payload = FrameCodec.json().createObjectNode();
        ArrayNode presence = payload.putArray("presence");
        open.stream()
                .sorted(java.util.Comparator.comparing(ControlConnection::connId))
                .forEach(connection -> presence.add(connection.presence()));
        StateVersion version = stateVersion();
        payload.putObject("stateVersion").put("presence", version.presence()).put("health", version.health());
        return payload;
    }

    void join(ControlConnection connection) {
        open.add(connection);
    }

    /**
     * The set of sockets changed. Announced as a count, at most every {@link #PRESENCE_COALESCE}:
     * sending every join to every socket would cost the square of the sockets (cubed, with full
     * lists); a client that wants the entries asks {@code system-presence}.
     */
    void presenceChanged() {
        presenceVersion.incrementAndGet();
        if (presencePending.compareAndSet(false, true)) {
            timers.schedule(
                    () -> {
                        presencePending.set(false);
                        broadcast(
                                Events.PRESENCE,
                                FrameCodec.json().createObjectNode().put("count", open.size()));
                    },
                    PRESENCE_COALESCE.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** At most {@link #SNAPSHOT_PRESENCE_LIMIT} entries for {@code hello-ok}, which every connect pays for. */
    ArrayNode snapshotPresence() {
        ArrayNode presence = FrameCodec.json().createArrayNode();
        open.stream().limit(SNAPSHOT_PRESENCE_LIMIT).forEach(connection -> presence.add(connection.presence()));
        return presence;
    }

    void unregistered(ControlConnection connection) {
        if (open.remove(connection) && !closing) {
            presenceChanged();
        }
    }

    private void tick() {
        broadcast(Events.TICK, FrameCodec.json().createObjectNode().put("ts", System.currentTimeMillis()));
    }

    private void broadcast(String event, JsonNode payload) {
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

    ControlPlane plane() {
        return plane;
    }

    ServerLimits limits() {
        return limits;
    }

    ConnectGuard guard() {
        return guard;
    }

    ControlMethods methods() {
        return methods;
    }

    ExecutorService workers() {
        return workers;
    }

    ScheduledExecutorService timers() {
        return timers;
    }
}
