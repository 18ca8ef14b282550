package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Both phases at a tiny scale through a real gateway JVM and the fake Bot API: every message is
 * answered exactly once and numbers come out. No wall-clock figure is asserted (CI machines are
 * noisy); the full run is bench/reply-loop.sh.
 */
class ReplyLoopBenchTest {
    @Test
    void bothPhasesCompleteAtTinyScaleThroughTelegram() throws Exception {
        ReplyLoopBench.Options options = ReplyLoopBench.Options.parse(
                new String[] {"--warmup", "20", "--messages", "100", "--rate", "50", "--seconds", "1", "--chats", "5"});
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        ObjectNode report = ReplyLoopBench.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        JsonNode throughput = report.path("throughput");
        assertThat(throughput.path("messages").asInt()).isEqualTo(100);
        assertThat(throughput.path("durablyAcceptedPerSecond").asLong()).isPositive();
        assertThat(throughput.path("repliedPerSecond").asLong()).isPositive();
        JsonNode latency = report.path("latencyAtRate");
        assertThat(latency.path("count").asInt()).isEqualTo(50);
        assertThat(latency.path("p99Ms").asDouble())
                .isGreaterThanOrEqualTo(latency.path("p50Ms").asDouble());
        assertThat(ReplyLoopBench.table(report)).contains("durably accepted messages/s", "latency at 50 msg/s");
    }

    @Test
    void badOptionsAreRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> ReplyLoopBench.Options.parse(new String[] {"--rate", "fast"}))
                .hasMessage("--rate: fast (expected: a positive integer)");
        assertThatThrownBy(() -> ReplyLoopBench.Options.parse(new String[] {"--speed", "1"}))
                .hasMessageStartingWith("unknown option --speed (expected: --messages");
    }
}
