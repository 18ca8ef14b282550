package dev.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A scripted gateway on 127.0.0.1, port 0: sends {@code connect.challenge}, checks the connect
 * request (protocol range, token), answers {@code hello-ok} or the scripted error and close, then
 * answers requests through {@link #onRequest} and ticks every {@link #tickIntervalMs}. Every
 * accepted socket is a {@link Session}, so tests can push events, stop ticking or close it.
 */
final class FakeGatewayServer implements AutoCloseable {
    static final String TOKEN = "s3cret-token-value";
    static final String UNAUTHORIZED_MESSAGE =
            "unauthorized: gateway token mismatch (set gateway.auth.token or SWITCHBOARD_GATEWAY_TOKEN)";

    private final MockWebServer server = new MockWebServer();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fake-gateway-ticker");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Session> sessions = new CopyOnWriteArrayList<>();

    volatile int protocol = Protocol.VERSION;
    volatile long tickIntervalMs = 15_000;
    volatile long maxPayload = Protocol.DEFAULT_MAX_PAYLOAD_BYTES;
    volatile boolean answerConnect = true;
    /** When set, the next connect is closed with this code and reason instead of answered. */
    volatile Integer closeOnConnect;

    volatile BiConsumer<Session, Frame.Request> onRequest = FakeGatewayServer::defaultAnswer;

    FakeGatewayServer() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Session session = new Session(sessions.size() + 1);
                sessions.add(session);
                return new MockResponse().withWebSocketUpgrade(session);
            }
        });
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + server.getPort());
    }

    List<Session> sessions() {
        return sessions;
    }

    Session session(int number) {
        return sessions.get(number - 1);
    }

    /** health answers {ok:true}, status echoes the params, anything else is NOT_FOUND. */
    static void defaultAnswer(Session session, Frame.Request request) {
        switch (request.method()) {
            case Methods.HEALTH -> session.respond(
                    request.id(), FrameCodec.json().createObjectNode().put("ok", true));
            case Methods.STATUS -> session.respond(request.id(), request.params());
            default -> session.send(Frame.Response.error(
                    request.id(), ErrorShape.of(ErrorCodes.NOT_FOUND, "unknown method: " + request.method())));
        }
    }

    @Override
    public void close() throws IOException {
        ticker.shutdownNow();
        server.shutdown();
    }

    /** One accepted WebSocket. */
    final class Session extends WebSocketListener {
        final int number;
        final List<Frame> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<ConnectParams> connected = new CompletableFuture<>();
        /** The close code and reason the client sent, e.g. "4000 tick timeout". */
        final CompletableFuture<String> clientClose = new CompletableFuture<>();

        private final AtomicLong seq = new AtomicLong();
        private volatile WebSocket socket;
        private volatile boolean handshaken;
        private volatile ScheduledFuture<?> ticks;

        Session(int number) {
            this.number = number;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket;
            send(new Frame.Event(
                    Events.CONNECT_CHALLENGE,
                    FrameCodec.json()
                            .createObjectNode()
                            .put("nonce", "nonce-" + number)
                            .put("ts", System.currentTimeMillis()),
                    OptionalLong.empty(),
                    Optional.empty()));
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            Frame frame;
            try {
                frame = FrameCodec.decode(text);
            } catch (ProtocolException e) {
                send(Frame.Response.error("invalid", ErrorShape.of(e.code(), e.getMessage())));
                return;
            }
            received.add(frame);
            if (!(frame instanceof Frame.Request request)) {
                return;
            }
            if (!handshaken) {
                handshake(request);
            } else {
                onRequest.accept(this, request);
            }
        }

        private void handshake(Frame.Request request) {
            if (!request.method().equals(Methods.CONNECT)) {
                send(Frame.Response.error(
                        request.id(),
                        ErrorShape.of(ErrorCodes.INVALID_REQUEST, "invalid handshake: first request must be connect")));
                close(CloseCodes.POLICY, "invalid handshake");
                return;
            }
            ConnectParams params = ConnectParams.from(request.params());
            Integer closeCode = closeOnConnect;
            if (closeCode != null) {
                close(closeCode, "handshake timeout");
                return;
            }
            if (!answerConnect) {
                return;
            }
            if (params.minProtocol() > protocol || params.maxProtocol() < protocol) {
                ObjectNode details = FrameCodec.json().createObjectNode().put("expectedProtocol", protocol);
                send(Frame.Response.error(
                        request.id(),
                        new ErrorShape(
                                ErrorCodes.PROTOCOL_MISMATCH,
                                "protocol mismatch: client speaks " + params.minProtocol() + ".." + params.maxProtocol()
                                        + ", gateway speaks " + protocol,
                                details,
                                false,
                                0)));
                close(CloseCodes.PROTOCOL_MISMATCH, "protocol mismatch");
                return;
            }
            if (!params.token().equals(Optional.of(TOKEN))) {
                send(Frame.Response.error(
                        request.id(),
                        new ErrorShape(
                                ErrorCodes.UNAUTHORIZED,
                                UNAUTHORIZED_MESSAGE,
                                FrameCodec.json().createObjectNode().put("reason", "token_mismatch"),
                                false,
                                0)));
                close(CloseCodes.POLICY, "unauthorized");
                return;
            }
            handshaken = true;
            respond(request.id(), hello());
            connected.complete(params);
            startTicking();
        }

        private JsonNode hello() {
            ObjectNode hello = (ObjectNode) Golden.json("res-hello-ok.json").path("payload");
            ((ObjectNode) hello.get("server")).put("connId", "conn-" + number);
            ((ObjectNode) hello.get("policy")).put("maxPayload", maxPayload).put("tickIntervalMs", tickIntervalMs);
            return hello;
        }

        void startTicking() {
            long interval = tickIntervalMs;
            ticks = ticker.scheduleAtFixedRate(
                    () -> event(
                            Events.TICK, FrameCodec.json().createObjectNode().put("ts", System.currentTimeMillis())),
                    interval,
                    interval,
                    TimeUnit.MILLISECONDS);
        }

        void stopTicking() {
            ScheduledFuture<?> task = ticks;
            if (task != null) {
                task.cancel(false);
            }
        }

        /** Sends an event with the next seq. */
        void event(String name, JsonNode payload) {
            event(name, payload, seq.incrementAndGet());
        }

        /** Sends an event with this seq (to script gaps). */
        void event(String name, JsonNode payload, long number) {
            seq.set(number);
            send(new Frame.Event(name, payload, OptionalLong.of(number), Optional.of(new StateVersion(1, 1))));
        }

        void respond(String id, JsonNode payload) {
            send(Frame.Response.ok(id, payload));
        }

        void send(Frame frame) {
            sendRaw(FrameCodec.encode(frame));
        }

        synchronized void sendRaw(String text) {
            WebSocket webSocket = socket;
            if (webSocket != null) {
                webSocket.send(text);
            }
        }

        void close(int code, String reason) {
            stopTicking();
            socket.close(code, reason);
        }

        /** Goes away (1001), as a gateway killed by its supervisor would. */
        void drop() {
            close(1001, "going away");
        }

        List<Frame.Request> requests() {
            return received.stream()
                    .filter(Frame.Request.class::isInstance)
                    .map(Frame.Request.class::cast)
                    .toList();
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            stopTicking();
            clientClose.complete(code + " " + reason);
            webSocket.close(CloseCodes.NORMAL, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            stopTicking();
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            stopTicking();
            clientClose.complete("failure " + t);
        }
    }
}
