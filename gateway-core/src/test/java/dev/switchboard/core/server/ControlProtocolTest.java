package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.AccountState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlProtocolTest {
    private static final String TOKEN = "right-token";

    private final FakeControlPlane plane = new FakeControlPlane();
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> new Thread(r, "control-worker"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger failures = new AtomicInteger();
    private ControlProtocol protocol;
    private GatewayServer server;

    /** Accepts {@link #TOKEN}; refuses one origin; locks out after 10 failures. */
    private final ConnectGuard guard = new ConnectGuard() {
        @Override
        public Optional<String> refuseOrigin(Optional<String> origin, Optional<String> host) {
            return origin.filter("https://evil.example"::equals).map(o -> "origin not allowed: " + o);
        }

        @Override
        public Outcome authenticate(
                InetSocketAddress remote, Optional<String> origin, Optional<String> token, Optional<String> password) {
            if (failures.get() >= 10) {
                return Outcome.lockedOut(Duration.ofMinutes(5));
            }
            if (token.filter(TOKEN::equals).isPresent()) {
                return Outcome.accepted();
            }
            failures.incrementAndGet();
            return Outcome.refused(
                    "AUTH_TOKEN_MISMATCH", "token mismatch: this gateway expects the token from --token");
        }
    };

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        protocol.close();
        workers.shutdownNow();
        timers.shutdownNow();
    }

    private int start(ServerLimits limits) {
        protocol = new ControlProtocol(plane, limits, guard, workers, timers);
        server = GatewayServer.start(
                new ListenAddress("127.0.0.1", 0, PortSource.CLI),
                "inst-1",
                () -> new Readiness(true, List.of()),
                Optional.of(protocol));
        return server.port();
    }

    private int start() {
        return start(ServerLimits.DEFAULTS);
    }

    @Test
    void challengeConnectHelloOkThenRequests() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.open(port)) {
            JsonNode challenge = socket.next();
            assertThat(challenge.get("event").asText()).isEqualTo("connect.challenge");
            assertThat(challenge.has("seq")).isFalse();
            assertThat(challenge.at("/payload/nonce").asText()).isNotBlank();

            socket.send(TestSocket.connect("c1", 1, 1, TOKEN));
            JsonNode hello = socket.next();
            assertThat(hello.get("id").asText()).isEqualTo("c1");
            assertThat(hello.get("ok").asBoolean()).isTrue();
            JsonNode payload = hello.get("payload");
            assertThat(payload.get("type").asText()).isEqualTo("hello-ok");
            assertThat(payload.get("protocol").asInt()).isEqualTo(1);
            assertThat(payload.at("/server/instanceId").asText()).isEqualTo("inst-1");
            assertThat(payload.at("/server/connId").asText()).isNotBlank();
            assertThat(payload.at("/features/methods").toString()).contains("health", "gateway.stop");
            assertThat(payload.at("/features/events").toString()).contains("tick", "shutdown");
            assertThat(payload.at("/snapshot/configPath").asText()).isEqualTo("/etc/switchboard.conf");
            assertThat(payload.at("/snapshot/authMode").asText()).isEqualTo("token");
            assertThat(payload.at("/snapshot/health/channels/0/state").asText()).isEqualTo("connected");
            assertThat(payload.at("/auth/scopes").toString())
                    .isEqualTo("[\"operator.admin\",\"operator.read\",\"operator.write\"]");
            assertThat(payload.at("/policy/maxPayload").asLong()).isEqualTo(1024 * 1024);
            assertThat(payload.at("/policy/maxBufferedBytes").asLong()).isEqualTo(8L * 1024 * 1024);
            assertThat(payload.at("/policy/tickIntervalMs").asLong()).isEqualTo(15000);

            assertThat(payload.at("/snapshot/presenceCount").asInt()).isEqualTo(1);
            JsonNode presence = socket.next();
            assertThat(presence.get("event").asText()).isEqualTo("presence");
            assertThat(presence.get("seq").asLong()).isEqualTo(1);
            assertThat(presence.at("/payload/count").asInt()).isEqualTo(1);
            assertThat(presence.at("/stateVersion/presence").asLong()).isEqualTo(1);

            socket.send(TestSocket.request("h1", "health"));
            JsonNode health = socket.next();
            assertThat(health.get("id").asText()).isEqualTo("h1");
            assertThat(health.at("/payload/ok").asBoolean()).isTrue();
            assertThat(health.at("/payload/instanceId").asText()).isEqualTo("inst-1");

            socket.send(TestSocket.request("s1", "status"));
            assertThat(socket.next().at("/payload/connections").asInt()).isEqualTo(1);
            socket.send(TestSocket.request("p1", "system-presence"));
            assertThat(socket.next().at("/payload/presence/0/client").asText()).isEqualTo("test");
            socket.send(TestSocket.request("g1", "config.get"));
            assertThat(socket.next().at("/payload/gateway/auth/token").asText())
                    .isEqualTo("env SWITCHBOARD_GATEWAY_TOKEN");
        }
    }

    @Test
    void aFirstFrameOtherThanConnectIsRefusedAndClosed1008() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.open(port)) {
            socket.next();
            socket.send(TestSocket.request("x1", "health"));
            JsonNode error = socket.next();
            assertThat(error.get("id").asText()).isEqualTo("x1");
            assertThat(error.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(error.at("/error/message").asText())
                    .isEqualTo("invalid handshake: the first frame must be a connect request (got health)");
            assertThat(socket.awaitClose().code()).isEqualTo(1008);
        }
    }

    @Test
    void garbageBeforeConnectClosesWith1008() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.open(port)) {
            socket.next();
            socket.send("this is not json {");
            TestSocket.Closed closed = socket.awaitClose();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).startsWith("invalid handshake: invalid frame: not JSON");
        }
    }

    @Test
    void garbageAfterConnectIsAnErrorResponseAndTheSocketStaysOpen() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.connected(port, TOKEN)) {
            socket.send("{\"type\":\"req\",\"id\":\"g\",\"method\":\"health\",\"extra\":1}");
            JsonNode unknownField = socket.nextSkippingEvents("presence");
            assertThat(unknownField.get("id").asText()).isEqualTo("g");
            assertThat(unknownField.at("/error/message").asText())
                    .isEqualTo("invalid request: unknown field 'extra' (expected: id, method, params, type)");
            socket.send("][");
            JsonNode garbage = socket.nextSkippingEvents("presence");
            assertThat(garbage.get("id").asText()).isEqualTo("invalid");
            assertThat(garbage.at("/error/code").asText()).isEqualTo("INVALID_REQUEST");
            socket.send(TestSocket.request("u1", "no.such.method"));
            JsonNode unknown = socket.nextSkippingEvents("presence");
            assertThat(unknown.at("/error/code").asText()).isEqualTo("NOT_FOUND");
            assertThat(unknown.at("/error/message").asText())
                    .startsWith("unknown method 'no.such.method' (available: health,");
            socket.send(TestSocket.request("h2", "health"));
            assertThat(socket.nextSkippingEvents("presence").get("ok").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void wrongTokenIsUnauthorizedNamingTheExpectedSourceThenClosed1008() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.open(port)) {
            socket.next();
            socket.send(TestSocket.connect("c1", 1, 1, "wrong"));
            JsonNode error = socket.next();
            assertThat(error.at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(error.at("/error/message").asText())
                    .isEqualTo("token mismatch: this gateway expects the token from --token");
            assertThat(error.at("/error/details/code").asText()).isEqualTo("AUTH_TOKEN_MISMATCH");
            assertThat(socket.awaitClose().code()).isEqualTo(1008);
        }
    }

    @Test
    void aLockedOutAddressIsRateLimitedWithRetryAfter() throws Exception {
        int port = start();
        failures.set(10);
        try (TestSocket socket = TestSocket.open(port)) {
            socket.next();
            socket.send(TestSocket.connect("c1", 1, 1, TOKEN));
            JsonNode error = socket.next();
            assertThat(error.at("/error/code").asText()).isEqualTo("RATE_LIMITED");
            assertThat(error.at("/error/retryable").asBoolean()).isTrue();
            assertThat(error.at("/error/retryAfterMs").asLong()).isEqualTo(300_000);
            assertThat(socket.awaitClose().code()).isEqualTo(1008);
        }
    }

    @Test
    void protocolMismatchIsAnsweredAndClosed1002() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.open(port)) {
            socket.next();
            socket.send(TestSocket.connect("c1", 2, 3, TOKEN));
            JsonNode error = socket.next();
            assertThat(error.at("/error/code").asText()).isEqualTo("PROTOCOL_MISMATCH");
            assertThat(error.at("/error/details/expectedProtocol").asInt()).isEqualTo(1);
            assertThat(socket.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void aSocketThatNeverConnectsIsClosedAfterTheHandshakeTimeout() throws Exception {
        int port = start(new ServerLimits(1 << 20, 8 << 20, Duration.ofSeconds(15), Duration.ofMillis(300)));
        try (TestSocket socket = TestSocket.open(port)) {
            socket.next();
            TestSocket.Closed closed = socket.awaitClose();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).isEqualTo("handshake timeout: no connect request within 300 ms");
        }
    }

    @Test
    void anOversizedFrameBeforeConnectIsClosed1009() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.open(port)) {
            socket.next();
            socket.send("{\"type\":\"req\",\"id\":\"big\",\"method\":\"connect\",\"params\":{\"pad\":\""
                    + "x".repeat(70 * 1024) + "\"}}");
            TestSocket.Closed closed = socket.awaitClose();
            assertThat(closed.reason()).isEqualTo("frame too big (limit 65536 bytes before connect)");
            assertThat(closed.code()).isEqualTo(1009);
            assertThat(closed.reason()).isEqualTo("frame too big (limit 65536 bytes before connect)");
        }
    }

    @Test
    void aMethodOutsideTheSocketsScopesIsForbiddenNamingTheScope() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.connected(port, TOKEN, "operator.read")) {
            socket.send(TestSocket.request("s1", "gateway.stop"));
            JsonNode error = socket.nextSkippingEvents("presence");
            assertThat(error.at("/error/code").asText()).isEqualTo("FORBIDDEN");
            assertThat(error.at("/error/message").asText()).isEqualTo("missing scope operator.admin for gateway.stop");
            assertThat(error.at("/error/details/missingScope").asText()).isEqualTo("operator.admin");
            assertThat(error.at("/error/details/requiredScopes/0").asText()).isEqualTo("operator.admin");
            assertThat(plane.stops).isEmpty();
            socket.send(TestSocket.request("h1", "health"));
            assertThat(socket.nextSkippingEvents("presence").get("ok").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void gatewayStopIsPassedOnAndShutdownPrecedesTheClose() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.connected(port, TOKEN)) {
            socket.send(TestSocket.request("s1", "gateway.stop"));
            JsonNode ok = socket.nextSkippingEvents("presence");
            assertThat(ok.at("/payload/stopping").asBoolean()).isTrue();
            // the stop is asked for once the response is queued, so it may land just after we read it
            await().atMost(Duration.ofSeconds(10)).until(() -> !plane.stops.isEmpty());
            assertThat(plane.stops).singleElement().asString().startsWith("gateway.stop from test 1 (127.0.0.1, conn ");

            protocol.shutdown("gateway.stop requested", Optional.empty());
            JsonNode shutdown = socket.nextSkippingEvents("presence");
            assertThat(shutdown.get("event").asText()).isEqualTo("shutdown");
            assertThat(shutdown.at("/payload/reason").asText()).isEqualTo("gateway.stop requested");
            assertThat(socket.awaitClose().code()).isEqualTo(1000);
        }
    }

    @Test
    void aRestartShutdownClosesWith1012AndSaysWhenToComeBack() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.connected(port, TOKEN)) {
            protocol.shutdown("restart", Optional.of(2000L));
            JsonNode shutdown = socket.nextSkippingEvents("presence");
            assertThat(shutdown.at("/payload/restartExpectedMs").asLong()).isEqualTo(2000);
            assertThat(socket.awaitClose().code()).isEqualTo(1012);
        }
    }

    @Test
    void aDisallowedBrowserOriginIsClosed1008() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.open(port, "https://evil.example")) {
            TestSocket.Closed closed = socket.awaitClose();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).isEqualTo("origin not allowed: https://evil.example");
        }
    }

    @Test
    void eventsCarryAPerConnectionSeqAndStateVersion() throws Exception {
        int port = start(new ServerLimits(1 << 20, 8 << 20, Duration.ofMillis(100), Duration.ofSeconds(10)));
        try (TestSocket first = TestSocket.connected(port, TOKEN)) {
            JsonNode one = first.next();
            JsonNode two = first.next();
            assertThat(one.get("seq").asLong()).isEqualTo(1);
            assertThat(two.get("seq").asLong()).isEqualTo(2);
            assertThat(List.of(one.get("event").asText(), two.get("event").asText()))
                    .contains("tick");

            protocol.channelChanged(FakeControlPlane.account(AccountState.RECONNECTING));
            JsonNode channel = first.nextSkippingEvents("tick", "presence");
            assertThat(channel.get("event").asText()).isEqualTo("channel");
            assertThat(channel.at("/payload/state").asText()).isEqualTo("reconnecting");
            assertThat(channel.at("/stateVersion/health").asLong()).isEqualTo(1);
            JsonNode health = first.nextSkippingEvents("tick", "presence");
            assertThat(health.get("event").asText()).isEqualTo("health");
            assertThat(health.get("seq").asLong()).isEqualTo(channel.get("seq").asLong() + 1);

            try (TestSocket second = TestSocket.connected(port, TOKEN)) {
                assertThat(second.next().get("seq").asLong())
                        .as("seq counts per connection")
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void probesRunOnAWorkerNotAnIoThread() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.connected(port, TOKEN)) {
            socket.send("{\"type\":\"req\",\"id\":\"p\",\"method\":\"channels.status\",\"params\":{\"probe\":true}}");
            JsonNode status = socket.nextSkippingEvents("presence");
            assertThat(status.at("/payload/channels/0/probe/detail").asText()).isEqualTo("@test_bot");
            assertThat(status.at("/payload/channels/0/inbound").asLong()).isEqualTo(3);
            assertThat(plane.probeThread).isEqualTo("control-worker");
        }
    }

    @Test
    void aSlowConsumerIsClosed1008() throws Exception {
        int port = start(new ServerLimits(1 << 20, 64 * 1024, Duration.ofSeconds(15), Duration.ofSeconds(10)));
        try (RawWebSocket raw = new RawWebSocket(port)) {
            raw.sendText(TestSocket.connect("c1", 1, 1, TOKEN));
            await().atMost(TestSocket.WAIT).until(() -> protocol.connectionCount() == 1);
            // the client reads nothing while the gateway has events to tell it
            for (int i = 0; i < 200_000 && protocol.connectionCount() == 1; i++) {
                protocol.channelChanged(FakeControlPlane.account(AccountState.RECONNECTING));
            }
            await().atMost(TestSocket.WAIT).until(() -> protocol.connectionCount() == 0);
            assertThat(raw.readUntilClose()).isEqualTo("1008 slow consumer");
        }
    }
}
