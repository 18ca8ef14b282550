package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every phase once, with the CLI on this test's class path as the launcher: each command exits 0,
 * the gateway answers /readyz, and numbers come out. No wall-clock figure is asserted (CI machines
 * are noisy); the full run, through bin/switchboard, is bench/startup.sh.
 */
class StartupBenchTest {
    @Test
    void everyPhaseCompletesThroughTheRealCli() throws Exception {
        // the CLI configures logback itself; the bench's own slf4j-simple binding stays off its class path
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator, -1))
                .filter(entry -> !entry.contains("slf4j-simple"))
                .collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StartupBench.Options options = StartupBench.Options.parse(new String[] {
            "--runs",
            "1",
            "--warmup",
            "0",
            "--java",
            java,
            "--launcher",
            java + " -cp " + classpath + " dev.switchboard.cli.Main"
        });

        ObjectNode report =
                StartupBench.run(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        for (String command : new String[] {
            "java -version",
            "gateway status --json (stopped)",
            "gateway status --json (running)",
            "health --json",
            "status --json",
            "channels status --json",
            "config validate"
        }) {
            JsonNode figure = report.path("commands").path(command);
            assertThat(figure.path("count").asInt()).as(command).isEqualTo(1);
            assertThat(figure.path("p50Ms").asDouble()).as(command).isPositive();
        }
        assertThat(report.path("coldStart").path("toReadyz").path("count").asInt())
                .isEqualTo(1);
        assertThat(StartupBench.table(report)).contains("gateway run -> /readyz 200", "status budget");
    }

    @Test
    void badOptionsAreRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> StartupBench.Options.parse(new String[] {"--runs", "0"}))
                .hasMessage("--runs: 0 (expected: an integer >= 1)");
        assertThatThrownBy(() -> StartupBench.Options.parse(new String[] {"--fast"}))
                .hasMessageContaining("--fast: unknown option");
    }
}
