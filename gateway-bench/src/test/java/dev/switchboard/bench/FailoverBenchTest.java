package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * One round at the shortest lease TTL through two real replica JVMs on PostgreSQL: the account moves
 * after the SIGKILL and after the graceful stop, and the messages sent at each are answered. No
 * wall-clock figure is asserted; the full run is bench/failover.sh.
 */
class FailoverBenchTest {
    @Test
    void oneRoundMovesTheAccountAndAnswersTheMessageSentAtTheKill() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        ObjectNode report =
                FailoverBench.run(1, Duration.ofSeconds(3), new PrintStream(log, true, StandardCharsets.UTF_8));

        JsonNode kill = report.path("sigkill").path(0);
        assertThat(kill.path("failoverMs").asLong()).isPositive();
        assertThat(kill.path("replyMs").asLong())
                .isGreaterThanOrEqualTo(kill.path("failoverMs").asLong());
        assertThat(report.path("gracefulStop").path("handoverMs").asLong()).isPositive();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("round 1:", "graceful stop of");
    }
}
