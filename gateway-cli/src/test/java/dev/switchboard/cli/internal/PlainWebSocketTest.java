package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.protocol.PlainJson;
import dev.switchboard.protocol.Protocol;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PlainWebSocket} speaks WebSocket with a real gateway on loopback, port 0. */
class PlainWebSocketTest {
    private static final String TOKEN = "plain-token-9a1";

    @TempDir
    Path state;

    private Gateway gateway;

    @BeforeEach
    void startGateway() {
        ChannelRegistry registry = ChannelRegistry.discover();
        gateway = Gateway.builder()
                .config(new ConfigLoader(registry).defaults())
                .stateDir(state)
                .registry(registry)
                .environment(Map.of())
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                .token(TOKEN)
                .build()
                .start();
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private URI url() {
        return URI.create("ws://127.0.0.1:" + gateway.port());
    }

    private static Map<?, ?> read(PlainWebSocket socket) throws IOException {
        return (Map<?, ?>) PlainJson.read(socket.readText().getBytes(StandardCharsets.UTF_8));
    }

    /** A connect request whose client version pads it to about {@code size} bytes. */
    private static String connect(String id, String token, int size) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("id", "plain-websocket-test");
        client.put("version", "v".repeat(size));
        client.put("platform", "linux");
        client.put("mode", "test");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("minProtocol", Protocol.VERSION);
        params.put("maxProtocol", Protocol.VERSION);
        params.put("client", client);
        params.put("role", "operator");
        params.put("scopes", List.of("operator.read"));
        params.put("auth", Map.of("token", token));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("type", "req");
        request.put("id", id);
        request.put("method", "connect");
        request.put("params", params);
        return PlainJson.pretty(request);
    }

    @Test
    void runsTheHandshakeAndACallWithShortAndMediumFramesBothWays() throws Exception {
        try (PlainWebSocket socket = PlainWebSocket.connect(url(), Duration.ofSeconds(3))) {
            Map<?, ?> challenge = read(socket);
            assertThat(challenge.get("event")).isEqualTo("connect.challenge");

            // over 125 bytes: the 16-bit length; hello-ok comes back longer than 125 bytes too
            String connect = connect("c-1", TOKEN, 2000);
            assertThat(connect.length()).isGreaterThan(2000);
            socket.sendText(connect);
            Map<?, ?> hello = read(socket);
            assertThat(hello.get("id")).isEqualTo("c-1");
            assertThat(hello.get("ok")).isEqualTo(true);
            assertThat(((Map<?, ?>) hello.get("payload")).get("type")).isEqualTo("hello-ok");
            assertThat(((Map<?, ?>) ((Map<?, ?>) hello.get("payload")).get("server")).get("instanceId"))
                    .isEqualTo(gateway.instanceId());

            // a short frame (7-bit length)
            socket.sendText("{\"type\":\"req\",\"id\":\"h-2\",\"method\":\"health\",\"params\":{}}");
            Map<?, ?> health;
            do {
                health = read(socket); // events may come first
            } while (!"res".equals(health.get("type")));
            assertThat(health.get("id")).isEqualTo("h-2");
            assertThat(((Map<?, ?>) health.get("payload")).get("instanceId")).isEqualTo(gateway.instanceId());
        }
    }

    @Test
    void aFrameOverTheServersLimitEndsInItsCloseFrameWithCodeAndReason() throws Exception {
        try (PlainWebSocket socket = PlainWebSocket.connect(url(), Duration.ofSeconds(3))) {
            read(socket); // the challenge

            // over 64 KiB: the 64-bit length, and the gateway's close 1009 before the handshake
            socket.sendText(connect("c-1", TOKEN, Protocol.MAX_PREAUTH_PAYLOAD_BYTES + 10));

            assertThatThrownBy(() -> read(socket))
                    .isInstanceOf(EOFException.class)
                    .hasMessageStartingWith("closed by the server: 1009");
        }
    }

    @Test
    void aRefusedConnectIsTheGatewaysErrorThenItsClose() throws Exception {
        try (PlainWebSocket socket = PlainWebSocket.connect(url(), Duration.ofSeconds(3))) {
            read(socket);
            socket.sendText(connect("c-1", "wrong", 10));

            Map<?, ?> refused = read(socket);
            assertThat(refused.get("ok")).isEqualTo(false);
            assertThat(((Map<?, ?>) refused.get("error")).get("code")).isEqualTo("UNAUTHORIZED");
            assertThatThrownBy(() -> read(socket)).hasMessageStartingWith("closed by the server: 1008");
        }
    }

    @Test
    void acceptsOnlyWsOnLoopbackAndOnlyTheRightUpgrade() throws Exception {
        assertThat(PlainWebSocket.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="))
                .as("RFC 6455 section 1.3")
                .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThatThrownBy(() -> PlainWebSocket.connect(URI.create("wss://127.0.0.1:1"), Duration.ofSeconds(1)))
                .hasMessageContaining("expected: ws://host:port on loopback");
        assertThatThrownBy(() -> PlainWebSocket.connect(URI.create("ws://192.0.2.1:1"), Duration.ofSeconds(1)))
                .hasMessageContaining("is not on loopback");
        // a server that is no WebSocket server: the gateway's HTTP /healthz path refuses the upgrade or
        // answers without it
        assertThatThrownBy(() -> PlainWebSocket.connect(
                        URI.create("ws://127.0.0.1:" + gateway.port() + "/healthz"), Duration.ofSeconds(3)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expected");
    }
}
