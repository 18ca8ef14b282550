package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.auth.internal.AuthAudit;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.testing.LogCapture;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.GatewayClientException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control protocol of a real gateway, with its real credentials, through the real client. */
class GatewayControlIT {
    private static final String SECRET = "s3cr3t-VALUE-42";
    private static final String CONFIG =
            """
            gateway.auth.token = "%s"
            chat.accounts.main { token = "chat-token-1", allowed_ids = [1] }
            """
                    .formatted(SECRET);

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private Gateway start(String hocon) {
        gateway = TestGateways.builder(ChannelRegistry.of(chat), hocon, stateDir)
                .environment(Map.of())
                .build()
                .start();
        return gateway;
    }

    private GatewayClient client(String token, List<Frame.Event> events) {
        return GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.port()))
                .token(token)
                .onEvent(events::add)
                .connect();
    }

    @Test
    void theConfiguredTokenAndTheControlTokenBothConnect() {
        start(CONFIG);
        try (GatewayClient byToken = client(SECRET, new CopyOnWriteArrayList<>());
                GatewayClient byControl = client(gateway.controlToken(), new CopyOnWriteArrayList<>())) {
            assertThat(byToken.hello().at("/server/instanceId").asText()).isEqualTo(gateway.instanceId());
            assertThat(byControl.hello().at("/snapshot/authMode").asText()).isEqualTo("token");
            JsonNode health = byControl.call("health").join();
            assertThat(health.get("ok").asBoolean()).isTrue();
            assertThat(health.at("/channels/0/channel").asText()).isEqualTo("chat");
        }
    }

    @Test
    void aWrongTokenIsRefusedNamingWhereTheExpectedOneComesFrom() {
        start(CONFIG);
        assertThatThrownBy(() -> client("wrong", new CopyOnWriteArrayList<>()))
                .isInstanceOfSatisfying(
                        GatewayClientException.class, e -> assertThat(e.code()).isEqualTo("UNAUTHORIZED"))
                .hasMessageContaining("gateway.auth.token")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void configGetNeverShowsASecret() throws Exception {
        start(CONFIG);
        try (GatewayClient client = client(SECRET, new CopyOnWriteArrayList<>())) {
            JsonNode config = client.call("config.get").join();
            assertThat(config.toString()).doesNotContain(SECRET).doesNotContain("chat-token-1");
            assertThat(config.at("/config/gateway/auth/token").asText()).isEqualTo("<literal, redacted>");
            assertThat(config.at("/config/chat/accounts/main/allowed_ids/0").asInt())
                    .isEqualTo(1);
            assertThat(config.get("hash").asText()).hasSize(64);
        }
    }

    @Test
    void tenFailuresFromABrowserOriginLockTheAddressOut() throws Exception {
        start(CONFIG);
        String origin = "http://127.0.0.1:" + gateway.port();
        for (int i = 0; i < 10; i++) {
            try (TestSocket socket = TestSocket.open(gateway.port(), origin)) {
                socket.next();
                socket.send(TestSocket.connect("c" + i, 1, 1, "wrong-" + i));
                assertThat(socket.next().at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
            }
        }
        try (TestSocket socket = TestSocket.open(gateway.port(), origin)) {
            socket.next();
            socket.send(TestSocket.connect("c10", 1, 1, SECRET));
            JsonNode refused = socket.next();
            assertThat(refused.at("/error/code").asText())
                    .as("even the right token while locked out")
                    .isEqualTo("RATE_LIMITED");
            assertThat(refused.at("/error/retryAfterMs").asLong()).isBetween(290_000L, 300_000L);
            assertThat(socket.awaitClose().code()).isEqualTo(1008);
        }
    }

    @Test
    void aConcurrentBurstGetsTheLimitsTriesThenIsLockedOutCountedInHealthAndLogged() throws Exception {
        start(CONFIG);
        String origin = "http://127.0.0.1:" + gateway.port();
        List<TestSocket> burst = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        try (LogCapture log = LogCapture.attach(AuthAudit.class)) {
            for (int i = 0; i < 30; i++) {
                burst.add(TestSocket.open(gateway.port(), origin));
            }
            for (TestSocket socket : burst) {
                socket.next(); // the challenge: every socket is open before any connect is sent
            }
            for (int i = 0; i < burst.size(); i++) {
                burst.get(i).send(TestSocket.connect("c" + i, 1, 1, "wrong-" + SECRET));
            }
            for (TestSocket socket : burst) {
                codes.add(socket.next().at("/error/code").asText());
            }

            assertThat(codes).filteredOn("UNAUTHORIZED"::equals).hasSize(10);
            assertThat(codes).filteredOn("RATE_LIMITED"::equals).hasSize(20);
            try (GatewayClient client = client(SECRET, new CopyOnWriteArrayList<>())) {
                JsonNode server = client.call("health").join().get("server");
                assertThat(server.get("authFailures").asLong()).isEqualTo(10);
                assertThat(server.get("lockouts").asLong()).isEqualTo(1);
                assertThat(server.get("refusedConnections").asLong()).isZero();
                assertThat(server.get("connections").asInt()).as("this client").isEqualTo(1);
            }
            assertThat(log.lines())
                    .contains("WARN failed authentication from 127.0.0.1: AUTH_TOKEN_MISMATCH")
                    .filteredOn(line -> line.startsWith("WARN locking out 127.0.0.1 for 300 s"))
                    .hasSize(1);
            assertThat(log.lines()).noneMatch(line -> line.contains(SECRET));
        } finally {
            burst.forEach(TestSocket::close);
        }
    }

    @Test
    void connectionsPastTheConfiguredCapAreRefusedAndCountedInHealth() throws Exception {
        start(CONFIG + "gateway.max_connections = 3\n");
        List<Socket> held = new ArrayList<>();
        try (GatewayClient client = client(SECRET, new CopyOnWriteArrayList<>())) {
            held.add(keptAlive());
            held.add(keptAlive()); // with the client: the cap of 3 is reached
            Socket refused = new Socket("127.0.0.1", gateway.port());
            held.add(refused);
            refused.setSoTimeout(20_000);
            assertThat(new String(refused.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.1 503 ");

            JsonNode server = client.call("health").join().get("server");
            assertThat(server.get("refusedConnections").asLong()).isEqualTo(1);
            assertThat(server.get("connections").asInt())
                    .as("control sockets only")
                    .isEqualTo(1);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** A connection that got its answer to {@code GET /healthz} and stays open (keep-alive). */
    private Socket keptAlive() throws Exception {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        socket.setSoTimeout(20_000);
        socket.getOutputStream()
                .write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int b; (b = socket.getInputStream().read()) != '}'; ) {
            assertThat(b).as("the end of the healthz answer").isNotEqualTo(-1);
        }
        return socket;
    }

    @Test
    void loopbackWithoutABrowserOriginIsNotLockedOut() throws Exception {
        start(CONFIG);
        for (int i = 0; i < 12; i++) {
            int attempt = i;
            assertThatThrownBy(() -> client("wrong-" + attempt, new CopyOnWriteArrayList<>()))
                    .isInstanceOfSatisfying(GatewayClientException.class, e -> assertThat(e.code())
                            .isEqualTo("UNAUTHORIZED"));
        }
        try (GatewayClient client = client(SECRET, new CopyOnWriteArrayList<>())) {
            assertThat(client.call("status").join().get("instanceId").asText()).isEqualTo(gateway.instanceId());
        }
    }

    @Test
    void gatewayStopSendsShutdownBeforeClosingAndStopsTheGateway() throws Exception {
        start(CONFIG);
        List<Frame.Event> events = new CopyOnWriteArrayList<>();
        try (GatewayClient client = client(gateway.controlToken(), events)) {
            assertThat(client.call("gateway.stop").join().get("stopping").asBoolean())
                    .isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.state() == Gateway.State.STOPPED);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(e -> e.event().equals("shutdown")));
        }
        Frame.Event shutdown = events.stream()
                .filter(e -> e.event().equals("shutdown"))
                .findFirst()
                .orElseThrow();
        assertThat(shutdown.payload().get("reason").asText()).startsWith("gateway.stop from");
        JsonNode owner =
                new ObjectMapper().readTree(new OwnerPaths(stateDir).ownerFile().toFile());
        assertThat(owner.get("phase").asText()).isEqualTo("stopped");
        assertThat(owner.get("shutdownReason").asText()).startsWith("gateway.stop from");
        assertThat(gateway.restartRequested()).isFalse();
    }

    @Test
    void gatewayRestartAnnouncesItAndAsksTheLauncherForANewGateway() throws Exception {
        start(CONFIG);
        List<Frame.Event> events = new CopyOnWriteArrayList<>();
        try (GatewayClient client = client(gateway.controlToken(), events)) {
            client.call("gateway.restart").join();
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.state() == Gateway.State.STOPPED);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(e -> e.event().equals("shutdown")));
        }
        assertThat(gateway.restartRequested()).isTrue();
        Frame.Event shutdown = events.stream()
                .filter(e -> e.event().equals("shutdown"))
                .findFirst()
                .orElseThrow();
        assertThat(shutdown.payload().get("restartExpectedMs").asLong()).isPositive();
    }

    @Test
    void channelStateChangesReachConnectedClientsAsEvents() throws Exception {
        start(CONFIG);
        List<Frame.Event> events = new CopyOnWriteArrayList<>();
        try (GatewayClient client = client(gateway.controlToken(), events)) {
            await().until(() -> !chat.adapters("main").isEmpty());
            chat.adapters("main").get(0).context.status().failed("connection reset by platform", false);
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                    .anyMatch(e -> e.event().equals("channel")
                            && e.payload().get("state").asText().equals("reconnecting")));
            JsonNode status = client.call("channels.status").join();
            assertThat(status.at("/channels/0/account").asText()).isEqualTo("main");
        }
    }
}
