package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.auth.internal.ConnectGuard;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ConnectParams;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.ErrorShape;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.HelloOk;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.Protocol;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.protocol.Status;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connect handshake (SPEC §5.3): the Origin check on open, the challenge, the handshake clock,
 * then the first frame: it must be {@code connect} with valid params and a protocol range holding
 * ours, from an address not locked out, with accepted credentials. Each refusal is answered (when
 * the frame had an id) and closed; success is {@code hello-ok}.
 */
public final class Handshake {
    private final ControlPlane plane;
    private final ConnectGuard guard;
    private final ServerLimits limits;
    private final ConnectedClients clients;
    private final HealthReport health;
    private final List<String> methods;
    private final ScheduledExecutorService timers;

    public Handshake(
            ControlPlane plane,
            ConnectGuard guard,
            ServerLimits limits,
            ConnectedClients clients,
            HealthReport health,
            List<String> methods,
            ScheduledExecutorService timers) {
        this.plane = requireNonNull(plane, "plane is null");
        this.guard = requireNonNull(guard, "guard is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.health = requireNonNull(health, "health is null");
        this.methods = List.copyOf(methods);
        this.timers = requireNonNull(timers, "timers is null");
    }

    /**
     * Refuses a disallowed browser Origin, else sends the challenge and starts the handshake clock;
     * returns the clock, which {@link ControlConnection#admit} cancels.
     */
    Optional<ScheduledFuture<?>> begin(ControlConnection connection) {
        Optional<String> refusal = guard.refuseOrigin(connection.origin(), connection.host());
        if (refusal.isPresent()) {
            connection.close(CloseCodes.POLICY, refusal.get());
            return Optional.empty();
        }
        ObjectNode challenge = FrameCodec.json()
                .createObjectNode()
                .put("nonce", UUID.randomUUID().toString())
                .put("ts", System.currentTimeMillis());
        connection.respond(
                new Frame.Event(Events.CONNECT_CHALLENGE, challenge, OptionalLong.empty(), Optional.empty()));
        Duration timeout = limits.handshakeTimeout();
        try {
            return Optional.of(timers.schedule(
                    () -> {
                        if (!connection.authenticated()) {
                            connection.close(
                                    CloseCodes.POLICY,
                                    "handshake timeout: no connect request within " + timeout.toMillis() + " ms");
                        }
                    },
                    timeout.toMillis(),
                    TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            connection.close(CloseCodes.RESTART, "gateway is shutting down");
            return Optional.empty();
        }
    }

    /** The first frame: a connect request, or a refusal and a close. */
    void onFirstFrame(ControlConnection connection, String text) {
        Frame frame;
        try {
            frame = FrameCodec.decode(text);
        } catch (ProtocolException e) {
            FrameCodec.idOf(text)
                    .ifPresent(id -> refuse(
                            connection,
                            id,
                            ErrorShape.of(ErrorCodes.INVALID_REQUEST, "invalid handshake: " + e.getMessage())));
            connection.close(CloseCodes.POLICY, "invalid handshake: " + e.getMessage());
            return;
        }
        if (!(frame instanceof Frame.Request request) || !request.method().equals(Methods.CONNECT)) {
            String message = "invalid handshake: the first frame must be a connect request";
            if (frame instanceof Frame.Request request) {
                refuse(
                        connection,
                        request.id(),
                        ErrorShape.of(ErrorCodes.INVALID_REQUEST, message + " (got " + request.method() + ")"));
            }
            connection.close(CloseCodes.POLICY, message);
            return;
        }
        ConnectParams params;
        try {
            params = ConnectParams.from(request.params());
        } catch (ProtocolException e) {
            refuse(connection, request.id(), ErrorShape.of(e.code(), e.getMessage()));
            connection.close(CloseCodes.POLICY, e.getMessage());
            return;
        }
        if (params.minProtocol() > Protocol.VERSION || params.maxProtocol() < Protocol.VERSION) {
            ObjectNode details = FrameCodec.json().createObjectNode().put("expectedProtocol", Protocol.VERSION);
            String message = "protocol mismatch: the gateway speaks version " + Protocol.VERSION + ", the client "
                    + params.minProtocol() + ".." + params.maxProtocol();
            refuse(connection, request.id(), new ErrorShape(ErrorCodes.PROTOCOL_MISMATCH, message, details, false, 0));
            connection.close(CloseCodes.PROTOCOL_MISMATCH, "protocol mismatch");
            return;
        }
        // the lockout check and the credential check are one step: a burst gets no more tries than the limit
        ConnectGuard.Outcome outcome = guard.authenticate(
                connection.socket().remote(), connection.origin(), params.token(), params.password());
        Optional<Duration> locked = outcome.lockedFor();
        if (locked.isPresent()) {
            String message =
                    "too many failed auth attempts from " + connection.socket().remoteHost() + "; try again in "
                            + Math.max(1, locked.get().toSeconds()) + " s";
            refuse(
                    connection,
                    request.id(),
                    new ErrorShape(
                            ErrorCodes.RATE_LIMITED,
                            message,
                            FrameCodec.json().createObjectNode(),
                            true,
                            locked.get().toMillis()));
            connection.close(CloseCodes.POLICY, "rate limited");
            return;
        }
        if (!outcome.ok()) {
            ObjectNode details = FrameCodec.json().createObjectNode().put("code", outcome.failureCode());
            refuse(
                    connection,
                    request.id(),
                    new ErrorShape(ErrorCodes.UNAUTHORIZED, outcome.message(), details, false, 0));
            connection.close(CloseCodes.POLICY, "unauthorized");
            return;
        }
        Set<String> scopes = grantedScopes(params.scopes());
        connection.admit(
                params.client(),
                scopes,
                outcome.method(),
                request.id(),
                () -> Payloads.toJson(helloOk(connection, scopes)));
    }

    private static void refuse(ControlConnection connection, String id, ErrorShape error) {
        connection.respond(Frame.Response.error(id, error));
    }

    /** A token or password grants every scope; a client may ask for fewer (unknown names are ignored). */
    private static Set<String> grantedScopes(List<String> requested) {
        if (requested.isEmpty()) {
            return Set.copyOf(Scopes.ALL);
        }
        Set<String> granted = new LinkedHashSet<>(requested);
        granted.retainAll(Scopes.ALL);
        return Set.copyOf(granted);
    }

    private HelloOk helloOk(ControlConnection connection, Set<String> scopes) {
        Status status = plane.status(clients.count());
        return new HelloOk(
                Protocol.VERSION,
                new HelloOk.Server(plane.version(), plane.instanceId(), connection.connId()),
                new HelloOk.Features(methods, Events.V1),
                new HelloOk.Snapshot(
                        clients.snapshotPresence(),
                        OptionalInt.of(clients.count()),
                        Optional.of(health.health(false, false)),
                        clients.stateVersion(),
                        status.uptimeMs(),
                        status.configPath(),
                        status.stateDir(),
                        status.authMode()),
                new HelloOk.Auth(
                        ConnectParams.OPERATOR, scopes.stream().sorted().toList()),
                new HelloOk.Policy(
                        limits.maxPayloadBytes(),
                        limits.maxBufferedBytes(),
                        limits.tickInterval().toMillis()));
    }
}
