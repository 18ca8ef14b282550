package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.server.internal.ControlProtocol;
import dev.switchboard.core.server.internal.ServerLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ControlProtocolTest {
    private static final String TOKEN = TestControlServer.TOKEN;

    /** Generous: the close takes the 500 ms timeout, a check, and the close frame's 2 s grace. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(30);

    private TestControlServer control;
    private ControlProtocol protocol;
    private FakeControlPlane plane;
    private AtomicInteger failures;

    @AfterEach
    void stop() {
        if (control != null) {
            control.close();
        }
    }

    private int start(ServerLimits limits) {
        control = new TestControlServer(limits);
        protocol = control.protocol;
        plane = control.plane;
        failures = control.failures;
        return control.port();
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
        int port = start(new ServerLimits(
                1 << 20,
                8 << 20,
                Duration.ofSeconds(15),
                Duration.ofMillis(300),
                ServerLimits.DEFAULT_SLOW_CONSUMER_TIMEOUT));
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
    void healthIsNotOkWhileTheOnlyChannelReconnects() throws Exception {
        int port = start();
        try (TestSocket socket = TestSocket.connected(port, TOKEN)) {
            plane.accounts = List.of(FakeControlPlane.account(AccountState.RECONNECTING));
            socket.send(TestSocket.request("h1", "health"));
            JsonNode reconnecting = socket.nextSkippingEvents("presence");
            assertThat(reconnecting.at("/payload/channels/0/state").asText()).isEqualTo("reconnecting");
            assertThat(reconnecting.at("/payload/ok").asBoolean()).isFalse();

            // degraded with a reason counts as working, as for /readyz
            AccountStatus degraded = FakeControlPlane.account(AccountState.DEGRADED);
            plane.accounts = List.of(new AccountStatus(
                    degraded.channelId(),
                    degraded.accountId(),
                    AccountState.DEGRADED,
                    Optional.of("webhook_secret: env X is not set"),
                    degraded.since(),
                    Optional.empty(),
                    Optional.empty(),
                    0,
                    0,
                    0,
                    0,
                    0,
                    Optional.empty(),
                    false));
            socket.send(TestSocket.request("h2", "health"));
            assertThat(socket.nextSkippingEvents("presence").at("/payload/ok").asBoolean())
                    .isTrue();
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
        int port = start(new ServerLimits(
                1 << 20,
                8 << 20,
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                ServerLimits.DEFAULT_SLOW_CONSUMER_TIMEOUT));
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
        int port = start(new ServerLimits(
                1 << 20,
                64 * 1024,
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                ServerLimits.DEFAULT_SLOW_CONSUMER_TIMEOUT));
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
    /** The 500 ms read-progress timeout of the slow-consumer tests, and the given cap. */
    private static ServerLimits progressLimits(long maxBufferedBytes) {
        return new ServerLimits(
                1 << 20, maxBufferedBytes, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofMillis(500));
    }

    @Test
    void aClientThatStopsReadingIsClosedAsASlowConsumerWhateverItsBuffer() throws Exception {
        int port = start(progressLimits(8 << 20));
        try (RawWebSocket raw = new RawWebSocket(port)) {
            raw.sendText(TestSocket.connect("c1", 1, 1, TOKEN));
            await().atMost(TestSocket.WAIT).until(() -> protocol.connectionCount() == 1);
            // from here it reads nothing and answers nothing (as a peer gone without a FIN): far
            // below the cap, its unanswered ping is what closes it
            await().atMost(CLOSED_WITHIN).until(() -> protocol.connectionCount() == 0);
            assertThat(raw.readUntilClose()).isEqualTo("1008 slow consumer");
        }
    }

    @Test
    void aClientThatWritesButNeverReadsIsClosedOnceItsUnsentBytesStall() throws Exception {
        int port = start(progressLimits(256L << 20)); // a cap it never reaches
        ScheduledExecutorService pongs = Executors.newSingleThreadScheduledExecutor();
        try (RawWebSocket raw = new RawWebSocket(port)) {
            raw.sendText(TestSocket.connect("c1", 1, 1, TOKEN));
            await().atMost(TestSocket.WAIT).until(() -> protocol.connectionCount() == 1);
            // unsolicited pongs: it looks alive, but reads nothing
            var unused = pongs.scheduleAtFixedRate( // stops with the pongs executor
                    () -> {
                        try {
                            raw.sendPong();
                        } catch (IOException e) {
                            // the server dropped it: that is what the test waits for
                        }
                    },
                    0,
                    50,
                    TimeUnit.MILLISECONDS);
            // ~17 MB of events: far more than the kernel buffers hold (4 MiB), far less than the cap
            for (int i = 0; i < 30_000 && protocol.connectionCount() == 1; i++) {
                protocol.channelChanged(FakeControlPlane.account(AccountState.RECONNECTING));
            }
            await().atMost(CLOSED_WITHIN).until(() -> protocol.connectionCount() == 0);
            pongs.shutdownNow();
            // its close frame waits behind what it never read, so the connection may go first
            assertThat(raw.readUntilEnd()).isIn("1008 slow consumer", "dropped");
        } finally {
            pongs.shutdownNow();
        }
    }

    @Test
    void aLongNonAsciiCloseReasonIsCutAtTheFrameLimitWithoutSplittingACodePoint() throws Exception {
        int port = start();
        String role = "😀".repeat(40);
        String connect =
                TestSocket.connect("c1", 1, 1, TOKEN).replace("\"role\":\"operator\"", "\"role\":\"" + role + "\"");
        String refusal = "invalid connect params: role '" + role + "' (expected: operator)";
        try (RawWebSocket raw = new RawWebSocket(port)) {
            raw.sendText(connect);
            RawWebSocket.CloseFrame close = raw.readCloseFrame();
            assertThat(close.payloadLength())
                    .as("a control frame holds 125 bytes")
                    .isLessThanOrEqualTo(125);
            assertThat(close.code()).isEqualTo(1008);
            String reason = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(close.reasonBytes()))
                    .toString();
            assertThat(refusal).startsWith(reason);
            assertThat(close.reasonBytes().length).as("as much as fits").isGreaterThan(123 - 4);
        }
        try (TestSocket strict = TestSocket.open(port)) { // OkHttp fails on a control frame over 125 bytes
            strict.next();
            strict.send(connect);
            assertThat(strict.next().at("/error/message").asText()).isEqualTo(refusal);
            TestSocket.Closed closed = strict.awaitClose();
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(refusal).startsWith(closed.reason());
        }
    }
}
