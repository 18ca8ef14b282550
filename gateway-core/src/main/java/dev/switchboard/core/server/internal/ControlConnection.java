package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.auth.internal.AuthDecision;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ConnectParams;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.ErrorShape;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.PresenceEntry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One client of the control protocol: who it is (once connected), what it may do, and where its
 * frames go: to the {@link Handshake} until it is connected, then to the {@link Dispatcher}. Its
 * events carry their own {@code seq}.
 */
public final class ControlConnection implements Caller, ControlSocket.Receiver {
    private final ControlSocket socket;
    private final Optional<String> origin;
    private final Optional<String> host;
    private final ConnectedClients clients;
    private final Handshake handshake;
    private final Dispatcher dispatcher;
    private final long connectedAt = System.currentTimeMillis();
    private final AtomicLong seq = new AtomicLong();

    private volatile boolean authenticated;
    private volatile AuthDecision.Method authMethod = AuthDecision.Method.NONE;
    private volatile Set<String> scopes = Set.of();
    private volatile Optional<ConnectParams.ClientInfo> client = Optional.empty();
    private volatile Optional<ScheduledFuture<?>> handshakeTimer = Optional.empty();

    public ControlConnection(
            ControlSocket socket,
            Optional<String> origin,
            Optional<String> host,
            ConnectedClients clients,
            Handshake handshake,
            Dispatcher dispatcher) {
        this.socket = requireNonNull(socket, "socket is null");
        this.origin = requireNonNull(origin, "origin is null");
        this.host = requireNonNull(host, "host is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.handshake = requireNonNull(handshake, "handshake is null");
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
    }

    /** Starts the handshake (Origin check, challenge, clock), then reading. */
    public void open() {
        socket.whenClosed(this::onClosed);
        handshakeTimer = handshake.begin(this);
        socket.startReading(this);
    }

    public String connId() {
        return socket.id();
    }

    Optional<String> origin() {
        return origin;
    }

    Optional<String> host() {
        return host;
    }

    ControlSocket socket() {
        return socket;
    }

    Set<String> scopes() {
        return scopes;
    }

    @Override
    public String describe() {
        return client.map(info -> info.id() + " " + info.version()).orElse("unauthenticated client") + " ("
                + socket.remoteHost() + ", conn " + connId() + ")";
    }

    /** This socket's entry in {@code system-presence}. */
    PresenceEntry presence() {
        return new PresenceEntry(
                connId(),
                Optional.of(socket.remoteHost()),
                connectedAt,
                client.map(ConnectParams.ClientInfo::id),
                client.map(ConnectParams.ClientInfo::version),
                client.map(ConnectParams.ClientInfo::platform),
                client.map(ConnectParams.ClientInfo::mode),
                scopes.stream().sorted().toList());
    }

    @Override
    public void onText(String text) {
        if (authenticated) {
            dispatcher.dispatch(this, text);
        } else {
            handshake.onFirstFrame(this, text);
        }
    }

    @Override
    public void onBinary() {
        if (authenticated) {
            respond(Frame.Response.error(
                    "invalid",
                    ErrorShape.of(
                            ErrorCodes.INVALID_REQUEST,
                            "binary frames are not part of the protocol (expected: JSON text)")));
        } else {
            close(CloseCodes.POLICY, "invalid handshake: binary frames are not part of the protocol");
        }
    }

    /**
     * Admits the client: joining the broadcast set and sending {@code hello-ok} happen under the lock
     * {@link #sendEvent} takes, so no event overtakes {@code hello-ok} and none sent after it is
     * missed. {@code helloOk} is built after the join, so its snapshot counts this socket.
     */
    void admit(
            ConnectParams.ClientInfo info,
            Set<String> granted,
            AuthDecision.Method method,
            String requestId,
            Supplier<JsonNode> helloOk) {
        handshakeTimer.ifPresent(timer -> timer.cancel(false));
        client = Optional.of(info);
        authMethod = method;
        scopes = Set.copyOf(granted);
        socket.authenticated();
        synchronized (this) {
            authenticated = true;
            clients.join(this);
            respond(Frame.Response.ok(requestId, helloOk.get()));
        }
        if (socket.isClosed()) {
            clients.leave(this);
        } else {
            clients.presenceChanged();
        }
    }

    boolean authenticated() {
        return authenticated;
    }

    /**
     * Whether the socket got in with the gateway's own credential (token, password, or none needed),
     * which a rotation of {@code gateway.auth.*} invalidates; the per-start control token is not.
     */
    boolean usesGatewayCredential() {
        return authMethod != AuthDecision.Method.CONTROL_TOKEN;
    }

    /** Sends a response (or any frame without a {@code seq}). */
    void respond(Frame frame) {
        socket.send(frame);
    }

    @Override
    public void sendEvent(String event, JsonNode payload) {
        sendEvent(event, payload.toString());
    }

    /** Sends an event whose payload is already JSON (a broadcast encodes it once for all sockets). */
    void sendEvent(String event, String payloadJson) {
        if (!authenticated || socket.isClosed()) {
            return;
        }
        // seq and send order must agree, so both happen under this socket's lock
        synchronized (this) {
            socket.sendText(FrameCodec.encodeEvent(event, payloadJson, seq.incrementAndGet(), clients.stateVersion()));
        }
    }

    void checkProgress(long nowNanos) {
        socket.checkProgress(nowNanos);
    }

    public void close(int code, String reason) {
        socket.close(code, reason);
    }

    private void onClosed() {
        handshakeTimer.ifPresent(timer -> timer.cancel(false));
        clients.leave(this);
    }
}
