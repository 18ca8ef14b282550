package dev.switchboard.core.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.server.Readiness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GatewayServerTest {
    private static final ListenAddress ANY_PORT = new ListenAddress("127.0.0.1", 0, PortSource.CLI);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthzAnswersWithTheInstanceId() throws Exception {
        try (GatewayServer server = GatewayServer.start(ANY_PORT, "inst-1", () -> new Readiness(true, List.of()))) {
            HttpResponse<String> response = get(server, "/healthz");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                    .isEqualTo("{\"ok\":true,\"instanceId\":\"inst-1\",\"pid\":"
                            + ProcessHandle.current().pid() + "}");
            assertThat(response.headers().firstValue("content-type")).contains("application/json");
        }
    }

    @Test
    void readyzIs503WithTheWaitingAccountsUntilEveryAccountStarted() throws Exception {
        AtomicReference<Readiness> readiness =
                new AtomicReference<>(new Readiness(false, List.of("telegram.bot_1 (starting)")));
        try (GatewayServer server = GatewayServer.start(ANY_PORT, "inst-1", readiness::get)) {
            HttpResponse<String> waiting = get(server, "/readyz");
            assertThat(waiting.statusCode()).isEqualTo(503);
            assertThat(waiting.body()).isEqualTo("{\"ready\":false,\"waiting\":[\"telegram.bot_1 (starting)\"]}");

            readiness.set(new Readiness(true, List.of()));
            HttpResponse<String> ready = get(server, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"ready\":true,\"waiting\":[]}");
        }
    }

    @Test
    void otherMethodsAreRefusedWithAllow() throws Exception {
        try (GatewayServer server = GatewayServer.start(ANY_PORT, "inst-1", () -> new Readiness(true, List.of()))) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri(server, "/healthz"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("allow")).contains("GET, HEAD");
        }
    }

    @Test
    void portHeldByAnotherGatewayNamesItsInstance() {
        try (GatewayServer first = GatewayServer.start(ANY_PORT, "inst-first", () -> new Readiness(true, List.of()))) {
            ListenAddress same = new ListenAddress("127.0.0.1", first.port(), PortSource.CLI);
            assertThatThrownBy(() -> GatewayServer.start(same, "inst-second", () -> new Readiness(true, List.of())))
                    .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                            .isEqualTo(SwitchboardException.Kind.CONFIG))
                    .hasMessage("another process is already listening on 127.0.0.1:" + first.port()
                            + " (a switchboard gateway, pid "
                            + ProcessHandle.current().pid()
                            + ", instance inst-first; see: switchboard gateway status)");
        }
    }

    @Test
    void portHeldBySomethingElseSaysJustThat() throws IOException {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ListenAddress same = new ListenAddress("127.0.0.1", other.getLocalPort(), PortSource.CONFIG);
            new Thread(() -> {
                        try (var socket = other.accept()) {
                            socket.getOutputStream().write("garbage\r\n".getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException ignored) {
                            // the probe gave up: fine
                        }
                    })
                    .start();
            assertThatThrownBy(() -> GatewayServer.start(same, "inst", () -> new Readiness(true, List.of())))
                    .hasMessage("another process is already listening on 127.0.0.1:" + other.getLocalPort());
        }
    }

    @Test
    void anAddressThisHostDoesNotHaveIsNotCalledATakenPort() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of a real host
        ListenAddress elsewhere = new ListenAddress("192.0.2.1", 0, PortSource.CLI);
        assertThatThrownBy(() -> GatewayServer.start(elsewhere, "inst", () -> new Readiness(true, List.of())))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                        .isEqualTo(SwitchboardException.Kind.CONFIG))
                .hasMessage("cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this host (expected:"
                        + " loopback, lan or an address one of this host's interfaces has)");
    }

    private HttpResponse<String> get(GatewayServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(GatewayServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
