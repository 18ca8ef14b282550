package dev.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnerHealthzProbeTest {
    private final FakeHealthz server;
    private final HealthzProbe probe = new HealthzProbe();

    OwnerHealthzProbeTest() throws Exception {
        server = new FakeHealthz();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OwnerRecord owner(String bind, int port) {
        return OwnerRecordTest.sample().toBuilder()
                .instanceId("me")
                .bind(bind)
                .port(port)
                .build();
    }

    @Test
    void succeedsOnlyWhenTheSameInstanceAnswers() {
        server.answerAs("me");

        assertThat(probe.probe(owner("127.0.0.1", server.port()))).isEqualTo(ProbeResult.success());
        assertThat(probe.probe(owner("0.0.0.0", server.port())).ok())
                .as("a wildcard bind is dialled on loopback")
                .isTrue();
    }

    @Test
    void anotherInstanceOnThePortIsNotTheOwner() {
        server.answerAs("someone-else");

        assertThat(probe.probe(owner("127.0.0.1", server.port())).describe())
                .isEqualTo("port " + server.port() + " answered as another instance (someone-else)");
    }

    @Test
    void anUnrelatedServerIsNotAGateway() {
        int port = server.port();
        server.answer(200, "<html>hello</html>");
        assertThat(probe.probe(owner("127.0.0.1", port)).describe())
                .isEqualTo("port " + port + " answered but is not a switchboard gateway");

        server.answer(200, "{\"ok\":true}");
        assertThat(probe.probe(owner("127.0.0.1", port)).describe())
                .isEqualTo("port " + port + " answered but is not a switchboard gateway");

        server.answer(404, "{}");
        assertThat(probe.probe(owner("127.0.0.1", port)).describe())
                .isEqualTo("port " + port + " answered HTTP 404 on /healthz: not a switchboard gateway");
    }

    @Test
    void aGatewayAtItsConnectionCapIsNamedAsSuch() {
        server.answer(503, "{\"error\":\"too many open connections: try again later\"}");

        assertThat(probe.probe(owner("127.0.0.1", server.port())).describe())
                .isEqualTo("port " + server.port() + " refused the probe: the gateway is at its connection cap"
                        + " (gateway.max_connections; its log says more)");
    }

    @Test
    void theSameInstanceReportingNotOkFails() {
        server.answer(200, "{\"ok\":false,\"instanceId\":\"me\"}");

        assertThat(probe.probe(owner("127.0.0.1", server.port())).describe())
                .isEqualTo("gateway instance me reports not ok");
    }

    @Test
    void nothingListeningIsReportedNotThrown() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        assertThat(probe.probe(owner("127.0.0.1", port)).describe())
                .startsWith("cannot connect to http://127.0.0.1:" + port + "/healthz");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            ProbeResult result =
                    new HealthzProbe(Duration.ofMillis(300)).probe(owner("127.0.0.1", silent.getLocalPort()));

            assertThat(result.describe())
                    .isEqualTo("no answer from http://127.0.0.1:" + silent.getLocalPort() + "/healthz within 300 ms");
        }
    }

    @Test
    void anOwnerWithoutAPortIsNotProbed() {
        OwnerRecord unbound = OwnerRecordTest.sample().toBuilder()
                .port(java.util.OptionalInt.empty())
                .build();

        assertThat(probe.probe(unbound).describe()).isEqualTo("no port in owner.json yet (the gateway has not bound)");
    }
}
