package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every phase at a tiny scale against a real gateway JVM: the phases complete and report numbers.
 * No wall-clock figure is asserted (CI machines are noisy); the full run is bench/protocol.sh.
 */
class ProtocolBenchTest {
    @Test
    void everyPhaseCompletesAtTinyScaleAgainstARealGateway() throws Exception {
        ProtocolBench.Options options = ProtocolBench.Options.parse(new String[] {
            "--connects", "20",
            "--sockets", "2",
            "--window", "4",
            "--warmup-seconds", "0",
            "--seconds", "1",
            "--idle-sockets", "50",
            "--idle-timeout-seconds", "60"
        });
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        ObjectNode report = ProtocolBench.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        JsonNode hello = report.path("connectHelloOk").path("openToHelloOk");
        assertThat(hello.path("count").asInt()).isEqualTo(20);
        assertThat(hello.path("p50Ms").asDouble()).isPositive();
        assertThat(hello.path("maxMs").asDouble())
                .isGreaterThanOrEqualTo(hello.path("p50Ms").asDouble());

        JsonNode rpc = report.path("healthRpc");
        assertThat(rpc.path("okResponses").asLong()).isPositive();
        assertThat(rpc.path("perSecond").asLong()).isPositive();
        assertThat(rpc.path("latency").path("count").asInt()).isPositive();

        JsonNode idle = report.path("idleSockets");
        assertThat(idle.path("held").asInt()).isEqualTo(50);
        assertThat(idle.path("timedOut").asBoolean()).isFalse();
        assertThat(idle.has("firstFailure")).isFalse();
        assertThat(idle.path("heapAfterBytes").asLong()).isPositive();
        // every join is announced to the sockets already open, so the idle sockets did receive events
        assertThat(idle.path("eventBytesReceived").asLong()).isPositive();

        assertThat(report.path("machine").path("cores").asInt()).isPositive();
        assertThat(report.path("gatewayJvm").path("collectors").asText()).isNotEmpty();
        assertThat(ProtocolBench.table(report))
                .contains("connect -> hello-ok p50", "health RPCs/s (2 sockets x 4)", "50 of 50");
    }

    @Test
    void optionsDefaultToTheFullScaleAndRejectNonsense() {
        ProtocolBench.Options defaults = ProtocolBench.Options.parse(new String[0]);
        assertThat(defaults.sockets()).isEqualTo(16);
        assertThat(defaults.idleSockets()).isEqualTo(10_000);
        assertThat(defaults.gatewayJvmOptions()).isEmpty();

        ProtocolBench.Options custom = ProtocolBench.Options.parse(
                new String[] {"--gateway-jvm-opts", "-Xmx512m -XX:+UseSerialGC", "--json", "out.json", "--histogram"});
        assertThat(custom.gatewayJvmOptions()).isEqualTo(List.of("-Xmx512m", "-XX:+UseSerialGC"));
        assertThat(custom.json()).contains(Path.of("out.json"));
        assertThat(custom.histogram()).isTrue();

        assertThatThrownBy(() -> ProtocolBench.Options.parse(new String[] {"--seconds", "-1"}))
                .hasMessage("--seconds: -1 (expected: a positive integer)");
        assertThatThrownBy(() -> ProtocolBench.Options.parse(new String[] {"--bogus", "1"}))
                .hasMessageStartingWith("unknown option --bogus");
    }

    @Test
    void responseEnvelopesAreReadWithoutTheirPayload() {
        BenchSocket.Envelope ok = BenchSocket.envelope(
                "{\"type\":\"res\",\"id\":\"123-7\",\"ok\":true,\"payload\":{\"ok\":false,\"id\":\"x\"}}");
        assertThat(ok).isEqualTo(new BenchSocket.Envelope("res", "123-7", true, null, null));
        assertThat(BenchSocket.sentAt(ok.id())).isEqualTo(123);

        BenchSocket.Envelope error = BenchSocket.envelope("{\"type\":\"res\",\"id\":\"1-1\",\"ok\":false,"
                + "\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"busy\",\"retryable\":true}}");
        assertThat(error.ok()).isFalse();
        assertThat(error.error()).isEqualTo("UNAVAILABLE: busy");
    }
}
