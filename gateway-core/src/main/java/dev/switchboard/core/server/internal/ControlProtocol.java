package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.auth.internal.ConnectGuard;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.HeartbeatEvent;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.Shutdown;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The control protocol's server side (SPEC §5.3): Undertow's WebSocket callback on {@code /}. Each
 * socket gets its I/O ({@code ControlSocket}), the handshake, then the dispatcher with the v1
 * method registry; the authenticated sockets get the gateway's events, a {@code tick} every
 * {@code tickInterval}, and the read-progress check that closes slow consumers. Blocking method
 * calls run on {@code workers}, never on Undertow's I/O threads.
 */
public final class ControlProtocol implements WebSocketConnectionCallback, AutoCloseable {
    /** The smallest interval between two read-progress checks. */
    private static final long MIN_CHECK_INTERVAL_MS = 10;

    private final ServerLimits limits;
    private final ScheduledExecutorService timers;
    private final ConnectedClients clients;
    private final HealthReport health;
    private final Handshake handshake;
    private final Dispatcher dispatcher;
    private final MethodCalls calls;
    private final ScheduledFuture<?> ticks;
    private final ScheduledFuture<?> progressChecks;

    public ControlProtocol(
            ControlPlane plane,
            ServerLimits limits,
            ConnectGuard guard,
            ExecutorService workers,
            ScheduledExecutorService timers) {
        requireNonNull(plane, "plane is null");
        requireNonNull(guard, "guard is null");
        requireNonNull(workers, "workers is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.timers = requireNonNull(timers, "timers is null");
        ConnectedClients connected = new ConnectedClients(timers);
        this.clients = connected;
        this.health = new HealthReport(plane, connected);
        MethodRegistry methods = MethodRegistry.v1(plane, limits, connected, health, timers);
        this.handshake = new Handshake(plane, guard, limits, connected, health, methods.names(), timers);
        this.dispatcher = new Dispatcher(methods, workers);
        this.calls = new MethodCalls(methods);
        long tick = limits.tickInterval().toMillis();
        this.ticks = timers.scheduleAtFixedRate(
                () -> connected.broadcast(
                        Events.TICK, FrameCodec.json().createObjectNode().put("ts", System.currentTimeMillis())),
                tick,
                tick,
                TimeUnit.MILLISECONDS);
        // a third of the timeout: a stalled socket is closed within 4/3 of it
        long check =
                Math.max(MIN_CHECK_INTERVAL_MS, limits.slowConsumerTimeout().toMillis() / 3);
        this.progressChecks = timers.scheduleAtFixedRate(connected::checkProgress, check, check, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        ControlConnection connection = new ControlConnection(
                new ControlSocket(channel, limits, timers),
                Optional.ofNullable(exchange.getRequestHeader("Origin")),
                Optional.ofNullable(exchange.getRequestHeader("Host")),
                clients,
                handshake,
                dispatcher);
        if (clients.closing()) {
            connection.close(CloseCodes.RESTART, "gateway is shutting down");
            return;
        }
        connection.open();
    }

    /** The same methods for the HTTP APIs ({@code /tools/invoke}, {@code /hooks/agent}). */
    public MethodCalls methodCalls() {
        return calls;
    }

    /** A channel account's state changed: a {@code channel} event, then the new {@code health}. */
    public void channelChanged(AccountStatus status) {
        clients.healthChanged();
        clients.broadcast(Events.CHANNEL, Payloads.toJson(Wire.channel(status, Optional.empty())));
        clients.broadcast(Events.HEALTH, Payloads.toJson(health.health(false, false)));
    }

    /**
     * The gateway's credential was rotated (a reload of {@code gateway.auth.*} or of its secret):
     * sockets that authenticated with the old one are closed 4001, so clients reconnect with the new
     * one. Returns how many were closed.
     */
    public int credentialRotated() {
        return clients.closeGatewayCredentialSockets(CloseCodes.AUTH_CHANGED, "gateway auth changed");
    }

    /** A heartbeat run ended: the {@code heartbeat} event to every client. */
    public void heartbeatRan(HeartbeatEvent event) {
        clients.broadcast(Events.HEARTBEAT, Payloads.toJson(event));
    }

    /** Tells every client the config changed: {@code config.changed {hash, paths}}. */
    public void configChanged(String hash, List<String> paths) {
        ObjectNode payload = FrameCodec.json().createObjectNode().put("hash", hash);
        paths.forEach(payload.putArray("paths")::add);
        clients.broadcast(Events.CONFIG_CHANGED, payload);
    }

    /**
     * Sends {@code shutdown} to every socket, then closes them: 1012 when a restart follows, 1000
     * otherwise. New sockets are refused from here on.
     */
    public void shutdown(String reason, Optional<Long> restartExpectedMs) {
        Shutdown payload =
                new Shutdown(reason, restartExpectedMs.map(OptionalLong::of).orElseGet(OptionalLong::empty));
        clients.shutdown(
                Payloads.toJson(payload),
                restartExpectedMs.isPresent() ? CloseCodes.RESTART : CloseCodes.NORMAL,
                restartExpectedMs.isPresent() ? "gateway restarting" : "gateway stopping");
    }

    @Override
    public void close() {
        ticks.cancel(false);
        progressChecks.cancel(false);
        if (!clients.closing()) {
            shutdown("closed", Optional.empty());
        }
        clients.close();
    }

    public int connectionCount() {
        return clients.count();
    }
}
