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
 * Every phase at a tiny scale against a real gateway JVM: the phases complete, every request is a
 * success, and the report carries the figures and the ratio. No wall-clock figure is asserted; the
 * full run is bench/openai.sh.
 */
class OpenAiBenchTest {
    @Test
    void everyPhaseCompletesAtTinyScaleAgainstARealGateway() throws Exception {
        OpenAiBench.Options options =
                OpenAiBench.Options.parse(new String[] {"--clients", "2", "--warmup-seconds", "1", "--seconds", "2"});
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        ObjectNode report = OpenAiBench.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        for (String phase : new String[] {"healthz", "chatCompletions", "chatCompletionsStreamed"}) {
            JsonNode figures = report.path(phase);
            assertThat(figures.path("requests").asLong()).as(phase).isPositive();
            assertThat(figures.path("failed").asLong())
                    .as(phase + ": " + figures.path("firstFailure"))
                    .isZero();
        }
        assertThat(report.path("chatToHealthzRatio").asDouble()).isPositive();
        assertThat(OpenAiBench.table(report)).contains("POST /v1/chat/completions stream", "chat / healthz:");
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> OpenAiBench.Options.parse(new String[] {"--clients", "0"}))
                .hasMessage("--clients: 0 (expected: an integer >= 1)");
        assertThatThrownBy(() -> OpenAiBench.Options.parse(new String[] {"--seconds"}))
                .hasMessage("--seconds needs a value");
        assertThatThrownBy(() -> OpenAiBench.Options.parse(new String[] {"--rate", "5"}))
                .hasMessageStartingWith("unknown option --rate");
    }
}
