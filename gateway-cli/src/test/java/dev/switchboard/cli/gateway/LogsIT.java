package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard logs} against {@code gateway run} in a JVM of its own: the launcher hands its log
 * directory to the gateway, so {@code logs.tail} answers with the lines of the file its logging
 * writes; once it stopped, the same lines come from the files.
 */
class LogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void logsReadsTheLaunchersLogFileOverTheProtocolThenFromTheFiles() throws Exception {
        Path processLogs = home.resolve("process-logs");
        try (GatewayProcess gateway =
                GatewayProcess.start(home, processLogs, "gateway", "run", "--dev", "--port", "0")) {
            gateway.awaitRunning();

            LocalCli.Run over = new LocalCli(home).run("--dev", "logs", "--json");

            assertThat(over.code()).as(over.err()).isZero();
            assertThat(over.err()).as("read over logs.tail").isEmpty();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : over.out().lines().toList()) {
                lines.add(JSON.readTree(line));
            }
            assertThat(lines).isNotEmpty().allMatch(line -> line.hasNonNull("time") && line.hasNonNull("level"));
            assertThat(lines).anyMatch(line -> line.get("logger").asText().startsWith("dev.switchboard."));

            LocalCli.Run stop = new LocalCli(home).run("--dev", "gateway", "stop", "--timeout", "30s");
            assertThat(stop.code()).as(stop.err()).isZero();
        }

        LocalCli.Run files = new LocalCli(home).run("--dev", "logs", "--json");

        assertThat(files.code()).as(files.err()).isZero();
        assertThat(files.err())
                .isEqualTo("gateway not running; reading " + home.resolve(".switchboard-dev/logs") + "\n");
        assertThat(files.out().lines()).isNotEmpty();
    }
}
