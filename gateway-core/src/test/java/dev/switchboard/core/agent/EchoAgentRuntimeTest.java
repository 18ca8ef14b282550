package dev.switchboard.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.agent.AgentRequest;
import dev.switchboard.spi.agent.AgentResult;
import dev.switchboard.spi.agent.AgentRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EchoAgentRuntimeTest {
    private final EchoAgentRuntime echo = new EchoAgentRuntime();

    @Test
    void answersWithTheTextItGotStreamedAsAFewDeltas() throws Exception {
        List<String> deltas = new ArrayList<>();
        String text = "the quick brown fox jumps over the lazy dog";
        AgentRun run =
                echo.run(AgentRequest.of("run-1", "telegram:bot:42", text).withOnDelta(deltas::add));

        AgentResult result = run.result().get(1, TimeUnit.SECONDS);

        assertThat(result.text()).isEqualTo(text);
        assertThat(result.finishReason()).isEqualTo("stop");
        assertThat(run.runId()).isEqualTo("run-1");
        assertThat(deltas).hasSizeBetween(2, 3).allSatisfy(delta -> assertThat(delta)
                .isNotEmpty());
        assertThat(String.join("", deltas)).isEqualTo(text);
    }

    @Test
    void aOneWordMessageIsOneDelta() throws Exception {
        List<String> deltas = new ArrayList<>();
        AgentResult result = echo.run(AgentRequest.of("r", "s", "ping").withOnDelta(deltas::add))
                .result()
                .get(1, TimeUnit.SECONDS);

        assertThat(result.text()).isEqualTo("ping");
        assertThat(deltas).containsExactly("ping");
    }

    @Test
    void anEmptyMessageGetsAnEmptyAnswerAndNoDeltas() throws Exception {
        List<String> deltas = new ArrayList<>();
        AgentResult result = echo.run(AgentRequest.of("r", "s", "").withOnDelta(deltas::add))
                .result()
                .get(1, TimeUnit.SECONDS);

        assertThat(result.text()).isEmpty();
        assertThat(deltas).isEmpty();
    }

    @Test
    void splittingNeverLosesOrReordersText() {
        for (String text : List.of("a", "a b", "  leading", "trailing  ", "no-spaces-at-all-in-here", "x y z w v u")) {
            List<String> pieces = EchoAgentRuntime.split(text);
            assertThat(pieces).hasSizeBetween(1, 3);
            assertThat(String.join("", pieces)).as(text).isEqualTo(text);
        }
    }

    @Test
    void abortAfterTheRunFinishedChangesNothing() throws Exception {
        AgentRun run = echo.run(AgentRequest.of("r", "s", "hello"));
        run.abort();
        assertThat(run.result().get(1, TimeUnit.SECONDS).text()).isEqualTo("hello");
        assertThat(echo.id()).isEqualTo("echo");
    }
}
