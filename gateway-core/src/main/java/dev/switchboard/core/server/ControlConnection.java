package dev.switchboard.core.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.CloseCodes;
import dev.switchboard.protocol.ConnectParams;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.ErrorShape;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Protocol;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.protocol.StateVersion;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * One control socket: the challenge, the connect handshake with every refusal, then requests and
 * events. Frames arrive on an Undertow I/O thread; blocking methods are handed to workers.
 */
final class ControlConnection extends AbstractReceiveListener {
    private static final Logger log = LoggerFactory.getLogger(ControlConnection.class);

    private final ControlProtocol protocol;
    private final WebSocketChannel channel;
    private final Optional<String> origin;
    private final Optional<String> host;
    private final InetSocketAddress remote;
    private final String connId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong unsentBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long connectedAt = System.currentTimeMillis();

    private volatile boolean authenticated;
    private volatile Set<String> scopes = Set.of();
    private volatile ConnectParams.ClientInfo client;
    private ScheduledFuture<?> handshakeTimer;

    ControlConnection(
            ControlProtocol protocol, WebSocketChannel channel, Optional<String> origin, Optional<String> host) {
        this.protocol = protocol;
        this.channel = channel;
        this.origin = origin;
        this.host = host;
        this.remote = (InetSocketAddress) channel.getSourceAddress();
    }

    String connId() {
        return connId;
    }

    /** For messages and logs: {@code cli 0.1.0 (127.0.0.1, conn 1a2b3c4d)}. */
    String describe() {
        ConnectParams.ClientInfo info = client;
        return (info == null ? "unauthenticated client" : info.id() + " " + info.version()) + " ("
                + remote.getAddress().getHostAddress() + ", conn " + connId + ")";
    }

    ObjectNode presence() {
        ConnectParams.ClientInfo info = client;
        ObjectNode entry = FrameCodec.json()
                .createObjectNode()
                .put("connId", connId)
                .put("ip", remote.getAddress().getHostAddress())
                .put("ts", connectedAt);
        if (info != null) {
            entry.put("client", info.id())
                    .put("version", info.version())
                    .put("platform", info.platform())
                    .put("mode", info.mode());
        }
        scopes.forEach(entry.putArray("scopes")::add);
        return entry;
    }

    /** Checks the Origin, sends the challenge and starts the handshake clock. */
    void open() {
        channel.addCloseTask(ch -> onClosed());
        Optional<String> refusal = protocol.guard().refuseOrigin(origin, host);
        if (refusal.isPresent()) {
            close(CloseCodes.POLICY, refusal.get());
            return;
        }
        ObjectNode challenge = FrameCodec.json()
                .createObjectNode()
                .put("nonce", UUID.randomUUID().toString())
                .put("ts", System.currentTimeMillis());
        send(new Frame.Event(Events.CONNECT_CHALLENGE, challenge, OptionalLong.empty(), Optional.empty()));
        Duration timeout = protocol.limits().handshakeTimeout();
        handshakeTimer = protocol.timers()
                .schedule(
                        () -> {
                            if (!authenticated) {
                                close(
                                        CloseCodes.POLICY,
                                        "handshake timeout: no connect request within " + timeout.toMillis() + " ms");
                            }
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        channel.getReceiveSetter().set(this);
        channel.resumeReceives();
    }

    /** Reads one text message, refusing (1009) one larger than the current limit. */
    @Override
    protected void onText(WebSocketChannel ws, StreamSourceFrameChannel frame) {
        long limit = frameLimit();
        // Undertow checks the limit while it buffers, but not on its first read; the length check
        // after assembly covers that read (bounded by the socket buffer) and fragmented messages
        new BufferedTextMessage(limit, true).read(frame, new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, BufferedTextMessage message) {
                String text = message.getData();
                if (text.length() > limit || Utf8.length(text) > limit) {
                    closeTooBig(limit);
                } else {
                    onMessage(text);
                }
            }

            @Override
            public void onError(WebSocketChannel ch, BufferedTextMessage message, Throwable error) {
                close(
                        CloseCodes.TOO_BIG,
                        "frame too big (limit " + limit + " bytes" + (authenticated ? ")" : " before connect)"));
            }
        });
    }

    @Override
    protected void onBinary(WebSocketChannel ws, StreamSourceFrameChannel frame) {
        long limit = frameLimit();
        new BufferedBinaryMessage(limit, true).read(frame, new WebSocketCallback<>() {
            @Override
            public void complete(WebSocketChannel ch, BufferedBinaryMessage message) {
                message.getData().free();
                if (!authenticated) {
                    close(CloseCodes.POLICY, "invalid handshake: binary frames are not part of the protocol");
                } else {
                    sendError(
                            "invalid",
                            ErrorCodes.INVALID_REQUEST,
                            "binary frames are not part of the protocol (expected: JSON text)");
                }
            }

            @Override
            public void onError(WebSocketChannel ch, BufferedBinaryMessage message, Throwable error) {
                closeTooBig(limit);
            }
        });
    }

    private long frameLimit() {
        return authenticated ? protocol.limits().maxPayloadBytes() : Protocol.MAX_PREAUTH_PAYLOAD_BYTES;
    }

    private void closeTooBig(long limit) {
        close(
                CloseCodes.TOO_BIG,
                "frame too big (limit " + limit + " bytes" + (authenticated ? ")" : " before connect)"));
    }

    @Override
    protected void onError(WebSocketChannel ws, Throwable error) {
        log.debug("control socket {} failed: {}", connId, error.toString());
        IoUtils.safeClose(ws);
    }

    private void onMessage(String text) {
        if (closed.get()) {
            return;
        }
        if (!authenticated) {
            handshake(text);
        } else {
            request(text);
        }
    }

    private void handshake(String text) {
        Frame frame;
        try {
            frame = FrameCodec.decode(text);
        } catch (ProtocolException e) {
            Optional<String> id = FrameCodec.idOf(text);
            id.ifPresent(value -> sendError(value, ErrorCodes.INVALID_REQUEST, "invalid handshake: " + e.getMessage()));
            close(CloseCodes.POLICY, "invalid handshake: " + e.getMessage());
            return;
        }
        if (!(frame instanceof Frame.Request request) || !request.method().equals(Methods.CONNECT)) {
            String message = "invalid handshake: the first frame must be a connect request";
            if (frame instanceof Frame.Request request) {
                sendError(request.id(), ErrorCodes.INVALID_REQUEST, message + " (got " + request.method() + ")");
            }
            close(CloseCodes.POLICY, message);
            return;
        }
        ConnectParams params;
        try {
            params = ConnectParams.from(request.params());
        } catch (ProtocolException e) {
            sendError(request.id(), e.code(), e.getMessage());
            close(CloseCodes.POLICY, e.getMessage());
            return;
        }
        if (params.minProtocol() > Protocol.VERSION || params.maxProtocol() < Protocol.VERSION) {
            ObjectNode details = FrameCodec.json().createObjectNode().put("expectedProtocol", Protocol.VERSION);
            String message = "protocol mismatch: the gateway speaks version " + Protocol.VERSION + ", the client "
                    + params.minProtocol() + ".." + params.maxProtocol();
            send(Frame.Response.error(
                    request.id(), new ErrorShape(ErrorCodes.PROTOCOL_MISMATCH, message, details, false, 0)));
            close(CloseCodes.PROTOCOL_MISMATCH, "protocol mismatch");
            return;
        }
        ConnectGuard.Outcome outcome = protocol.guard().authenticate(remote, origin, params.token(), params.password());
        Optional<Duration> locked = outcome.lockedFor();
        if (locked.isPresent()) {
            long retryAfter = locked.get().toMillis();
            send(Frame.Response.error(
                    request.id(),
                    new ErrorShape(
                            ErrorCodes.RATE_LIMITED,
                            "too many failed auth attempts from "
                                    + remote.getAddress().getHostAddress() + "; try again in "
                                    + Math.max(1, locked.get().toSeconds()) + " s",
                            null,
                            true,
                            retryAfter)));
            close(CloseCodes.POLICY, "rate limited");
            return;
        }
        if (!outcome.ok()) {
            ObjectNode details = FrameCodec.json().createObjectNode().put("code", outcome.failureCode());
            send(Frame.Response.error(
                    request.id(), new ErrorShape(ErrorCodes.UNAUTHORIZED, outcome.message(), details, false, 0)));
            close(CloseCodes.POLICY, "unauthorized");
            return;
        }
        accept(request.id(), params);
    }

    private void accept(String requestId, ConnectParams params) {
        handshakeTimer.cancel(false);
        client = params.client();
        scopes = grantedScopes(params.scopes());
        // joining the broadcast set and sending hello-ok happen under the lock sendEvent takes, so
        // no event can overtake hello-ok and none sent after it is missed
        synchronized (this) {
            authenticated = true;
            protocol.join(this);
            send(Frame.Response.ok(requestId, helloOk()));
        }
        if (closed.get()) {
            protocol.unregistered(this);
        } else {
            protocol.presenceChanged();
        }
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

    private ObjectNode helloOk() {
        ControlPlane plane = protocol.plane();
        ObjectNode hello =
                FrameCodec.json().createObjectNode().put("type", "hello-ok").put("protocol", Protocol.VERSION);
        hello.putObject("server")
                .put("version", plane.version())
                .put("instanceId", plane.instanceId())
                .put("connId", connId);
        ObjectNode features = hello.putObject("features");
        dev.switchboard.protocol.Methods.V1.forEach(features.putArray("methods")::add);
        Events.V1.forEach(features.putArray("events")::add);
        ObjectNode snapshot = hello.putObject("snapshot");
        snapshot.set("presence", protocol.snapshotPresence());
        snapshot.put("presenceCount", protocol.connectionCount());
        snapshot.set("health", protocol.methods().health(false, false));
        StateVersion version = protocol.stateVersion();
        snapshot.putObject("stateVersion").put("presence", version.presence()).put("health", version.health());
        snapshot.put("uptimeMs", plane.uptimeMs());
        ObjectNode status = plane.status();
        snapshot.set("configPath", status.get("configPath"));
        snapshot.set("stateDir", status.get("stateDir"));
        snapshot.set("authMode", status.get("authMode"));
        ObjectNode auth = hello.putObject("auth").put("role", ConnectParams.OPERATOR);
        scopes.stream().sorted().forEach(auth.putArray("scopes")::add);
        hello.putObject("policy")
                .put("maxPayload", protocol.limits().maxPayloadBytes())
                .put("maxBufferedBytes", protocol.limits().maxBufferedBytes())
                .put("tickIntervalMs", protocol.limits().tickInterval().toMillis());
        return hello;
    }

    private void request(String text) {
        Frame frame;
        try {
            frame = FrameCodec.decode(text);
        } catch (ProtocolException e) {
            sendError(FrameCodec.idOf(text).orElse("invalid"), e.code(), e.getMessage());
            return;
        }
        if (!(frame instanceof Frame.Request request)) {
            sendError("invalid", ErrorCodes.INVALID_REQUEST, "invalid request frame: clients send type req");
            return;
        }
        if (request.method().equals(Methods.CONNECT)) {
            sendError(request.id(), ErrorCodes.INVALID_REQUEST, "already connected: connect is the first frame only");
            return;
        }
        Optional<ControlMethods.Method> method = protocol.methods().find(request.method());
        if (method.isEmpty()) {
            sendError(
                    request.id(),
                    ErrorCodes.NOT_FOUND,
                    "unknown method '" + request.method() + "' (available: "
                            + String.join(", ", dev.switchboard.protocol.Methods.V1) + ")");
            return;
        }
        String scope = method.get().scope();
        if (!allows(scope)) {
            ObjectNode details = FrameCodec.json().createObjectNode().put("missingScope", scope);
            details.putArray("requiredScopes").add(scope);
            details.putArray("grantedScopes");
            scopes.stream().sorted().forEach(((com.fasterxml.jackson.databind.node.ArrayNode)
                    details.get("grantedScopes"))::add);
            send(Frame.Response.error(
                    request.id(),
                    new ErrorShape(
                            ErrorCodes.FORBIDDEN,
                            "missing scope " + scope + " for " + request.method(),
                            details,
                            false,
                            0)));
            return;
        }
        if (method.get().blocking().test(request.params())) {
            try {
                protocol.workers().execute(() -> respond(request, method.get()));
            } catch (RejectedExecutionException e) {
                send(Frame.Response.error(
                        request.id(),
                        new ErrorShape(ErrorCodes.UNAVAILABLE, "the gateway is busy; try again", null, true, 1000)));
            }
        } else {
            respond(request, method.get());
        }
    }

    /** admin covers write and read; write covers read. */
    private boolean allows(String scope) {
        Set<String> granted = scopes;
        return granted.contains(scope)
                || granted.contains(Scopes.ADMIN)
                || (scope.equals(Scopes.READ) && granted.contains(Scopes.WRITE));
    }

    private void respond(Frame.Request request, ControlMethods.Method method) {
        ControlMethods.Answer answer;
        try {
            answer = method.handler().handle(request.params(), this);
            answer.payload().ifPresent(payload -> send(Frame.Response.ok(request.id(), payload)));
        } catch (RuntimeException e) {
            fail(request, e);
            return;
        }
        try {
            answer.then().run(); // after the response: what it starts may send events that must follow it
        } catch (RuntimeException e) {
            log.error("{} failed after its response for {}", request.method(), describe(), e);
        }
        // a later response on the same id, sent by whichever thread completes the work
        answer.followUp()
                .ifPresent(later -> later.whenComplete((payload, error) -> {
                    if (error == null) {
                        send(Frame.Response.ok(request.id(), payload));
                    } else {
                        fail(
                                request,
                                error instanceof CompletionException && error.getCause() != null
                                        ? error.getCause()
                                        : error);
                    }
                }));
    }

    /** Answers a failed request: its protocol error, else INTERNAL with a reference to the log. */
    private void fail(Frame.Request request, Throwable e) {
        if (e instanceof ProtocolException protocolError) {
            sendError(request.id(), protocolError.code(), protocolError.getMessage());
            return;
        }
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("{} failed for {} (ref {})", request.method(), describe(), reference, e);
        sendError(
                request.id(),
                ErrorCodes.INTERNAL,
                request.method() + " failed (ref " + reference + "; the gateway log has the details)");
    }

    void sendEvent(String event, JsonNode payload) {
        sendEvent(event, payload.toString());
    }

    /** Sends an event whose payload is already JSON (a broadcast encodes it once for all sockets). */
    void sendEvent(String event, String payloadJson) {
        if (!authenticated || closed.get()) {
            return;
        }
        // seq and send order must agree, so both happen under this socket's lock
        synchronized (this) {
            sendText(FrameCodec.encodeEvent(event, payloadJson, seq.incrementAndGet(), protocol.stateVersion()));
        }
    }

    private void sendError(String id, String code, String message) {
        send(Frame.Response.error(id, ErrorShape.of(code, message)));
    }

    /** Queues a frame; a socket whose unsent bytes pass the limit is closed as a slow consumer. */
    private void send(Frame frame) {
        sendText(FrameCodec.encode(frame));
    }

    private void sendText(String text) {
        if (closed.get()) {
            return;
        }
        long size = Utf8.length(text);
        if (unsentBytes.addAndGet(size) > protocol.limits().maxBufferedBytes()) {
            log.warn("closing control socket {}: slow consumer ({} unsent bytes)", describe(), unsentBytes.get());
            close(CloseCodes.POLICY, "slow consumer");
            return;
        }
        WebSockets.sendText(text, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                unsentBytes.addAndGet(-size);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable error) {
                IoUtils.safeClose(ch);
            }
        });
    }

    /** Sends a close frame with {@code code} and {@code reason}, then drops the socket. */
    void close(int code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        // a close reason is limited to 123 bytes on the wire
        String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
        WebSockets.sendClose(code, shortReason, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                closeLater(ch);
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable error) {
                IoUtils.safeClose(ch);
            }
        });
    }

    /** Gives the peer a moment to read the close frame and answer before the TCP connection goes. */
    private void closeLater(WebSocketChannel ch) {
        protocol.timers().schedule(() -> IoUtils.safeClose(ch), 2, TimeUnit.SECONDS);
    }

    private void onClosed() {
        closed.set(true);
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        protocol.unregistered(this);
    }
}
