package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.switchboard.core.auth.internal.ConnectGuard;
import dev.switchboard.core.internal.ServerCounters;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.internal.ControlProtocol;
import dev.switchboard.core.server.internal.GatewayServer;
import dev.switchboard.core.server.internal.HttpLimits;
import dev.switchboard.core.server.internal.ServerLimits;
import dev.switchboard.core.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side's limits against abuse (SPEC §5.4), with real sockets: the header and idle timeouts
 * and the connection cap hold before any credential is checked.
 */
class GatewayServerLimitsTest {
    private static final ListenAddress ANY_PORT = new ListenAddress("127.0.0.1", 0, PortSource.CLI);
    private static final Duration LONG = Duration.ofSeconds(60);
    /** Longer than any timeout a test sets: a read that waits this long means the socket was left open. */
    private static final int READ_TIMEOUT_MS = 20_000;

    private final ServerCounters counters = new ServerCounters();
    private final List<Socket> sockets = new ArrayList<>();
    private GatewayServer server;
    private ControlProtocol protocol;
    private ExecutorService workers;
    private ScheduledExecutorService timers;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
        if (protocol != null) {
            protocol.close();
            workers.shutdownNow();
            timers.shutdownNow();
        }
    }

    private void start(HttpLimits limits, Optional<ControlProtocol> control) {
        server = GatewayServer.start(
                ANY_PORT,
                "inst-1",
                () -> new Readiness(true, List.of()),
                control.map(p -> p),
                Optional.empty(),
                limits,
                counters);
    }

    @Test
    void aClientThatSendsItsHeadersTooSlowlyIsClosed() throws Exception {
        start(new HttpLimits(100, Duration.ofMillis(500), LONG), Optional.empty());
        Socket socket = connect();
        OutputStream out = socket.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        // one more header line every 100 ms, never the blank line that ends them
        Thread trickle = new Thread(() -> {
            try {
                for (int i = 0; i < 300; i++) {
                    Thread.sleep(100);
                    out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed by the server, or the test is over
            }
        });
        trickle.start();
        try {
            assertThat(readUntilClosed(socket))
                    .as("no response, just the close")
                    .isEmpty();
        } finally {
            trickle.interrupt();
            trickle.join();
        }
        await().until(() -> server.openConnections() == 0);
    }

    @Test
    void aConnectionWithNoRequestInProgressIsClosedAfterTheIdleTimeout() throws Exception {
        start(new HttpLimits(100, LONG, Duration.ofMillis(500)), Optional.empty());
        Socket silent = connect();
        Socket keptAlive = connect();
        keptAlive
                .getOutputStream()
                .write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(readUntilClosed(keptAlive)).startsWith("HTTP/1.1 200 ").contains("\"ok\":true");
        assertThat(readUntilClosed(silent)).isEmpty();
    }

    @Test
    void connectionsPastTheCapAreRefusedAtOnceCountedAndLoggedOnce() throws Exception {
        start(new HttpLimits(3, LONG, LONG), Optional.empty());
        try (LogCapture log = LogCapture.attach(GatewayServer.class)) {
            for (int i = 0; i < 3; i++) {
                connect()
                        .getOutputStream()
                        .write("GET /healthz HTTP/1.1\r\n"
                                .getBytes(StandardCharsets.US_ASCII)); // held: no timeout soon
            }
            await().until(() -> server.openConnections() == 3);

            for (int i = 0; i < 2; i++) {
                assertThat(readUntilClosed(connect()))
                        .startsWith("HTTP/1.1 503 ")
                        .contains("Retry-After: 1")
                        .endsWith("{\"error\":\"too many open connections: try again later\"}");
            }

            assertThat(counters.refusedConnections()).isEqualTo(2);
            assertThat(server.openConnections()).isEqualTo(3);
            assertThat(log.lines(Level.WARN))
                    .singleElement()
                    .asString()
                    .startsWith("WARN refusing connections: 3 are open, the cap is 3 (gateway.max_connections);"
                            + " first refused: /127.0.0.1:");
        }
        sockets.remove(0).close();
        await().until(() -> server.openConnections() == 2);
        HttpResponse<String> healthz = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(healthz.statusCode()).isEqualTo(200);
    }

    @Test
    void upgradedWebSocketsCountAsOpenConnectionsAndAreNotClosedByTheIdleTimeout() throws Exception {
        workers = Executors.newFixedThreadPool(2);
        timers = Executors.newSingleThreadScheduledExecutor();
        protocol = new ControlProtocol(new FakeControlPlane(), ServerLimits.DEFAULTS, new AcceptAll(), workers, timers);
        start(new HttpLimits(100, Duration.ofMillis(300), Duration.ofMillis(300)), Optional.of(protocol));
        try (TestSocket webSocket = TestSocket.connected(server.port(), "any")) {
            assertThat(server.openConnections()).isEqualTo(1);
            // opened after the WebSocket's last frame and as idle: once it is closed, the WebSocket
            // has been idle for longer than the timeout too
            assertThat(readUntilClosed(connect())).isEmpty();

            webSocket.send(TestSocket.request("h1", "health"));
            assertThat(webSocket
                            .nextSkippingEvents("presence", "tick")
                            .at("/payload/ok")
                            .asBoolean())
                    .isTrue();
        }
        await().until(() -> server.openConnections() == 0);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), server.port());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        sockets.add(socket);
        return socket;
    }

    /** What the server sent until it closed the connection; fails when it stays open. */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // reset: closed too (a close with our unread bytes pending resets the connection)
        }
        return received.toString(StandardCharsets.US_ASCII);
    }

    /** Lets every client in. */
    private static final class AcceptAll implements ConnectGuard {
        @Override
        public Optional<String> refuseOrigin(Optional<String> origin, Optional<String> host) {
            return Optional.empty();
        }

        @Override
        public Outcome authenticate(
                java.net.InetSocketAddress remote,
                Optional<String> origin,
                Optional<String> token,
                Optional<String> password) {
            return Outcome.accepted();
        }
    }
}
