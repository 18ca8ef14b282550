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
 * Every phase at a tiny scale through a real gateway JVM watching a real config file, with the fake
 * Bot API: each save is answered by its config.changed and numbers come out. No wall-clock figure is
 * asserted (CI machines are noisy); the full run is bench/reload.sh.
 */
class ReloadBenchTest {
    @Test
    void everyPhaseCompletesAtTinyScaleThroughARealGateway() throws Exception {
        ReloadBench.Options options =
                ReloadBench.Options.parse(new String[] {"--edits", "2", "--warmup", "1", "--restarts", "1"});
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        ObjectNode report = ReloadBench.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        for (String editor : new String[] {"write", "rename"}) {
            JsonNode edit = report.path("edits").path(editor);
            assertThat(edit.path("applied").path("count").asInt()).as(editor).isEqualTo(2);
            assertThat(edit.path("watchService").path("count").asInt())
                    .as(editor)
                    .isEqualTo(2);
            // the debounce alone keeps every applied change and every floor at 300 ms or more
            assertThat(edit.path("applied").path("p50Ms").asDouble()).as(editor).isGreaterThanOrEqualTo(300);
            assertThat(edit.path("floor").path("p50Ms").asDouble()).as(editor).isGreaterThanOrEqualTo(300);
        }
        JsonNode restart = report.path("accountRestart");
        assertThat(restart.path("toConfigChanged").path("count").asInt()).isEqualTo(1);
        assertThat(restart.path("toNewTokenPolling").path("count").asInt()).isEqualTo(1);
        assertThat(ReloadBench.table(report))
                .contains(
                        "save -> config.changed, whole-file write",
                        "save -> config.changed, temp file + rename",
                        "token change -> new token's first getUpdates");
    }

    @Test
    void badOptionsAreRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> ReloadBench.Options.parse(new String[] {"--edits", "0"}))
                .hasMessage("--edits: 0 (expected: an integer >= 1)");
        assertThatThrownBy(() -> ReloadBench.Options.parse(new String[] {"--saves", "1"}))
                .hasMessageStartingWith("unknown option --saves (expected: --edits");
    }
}
