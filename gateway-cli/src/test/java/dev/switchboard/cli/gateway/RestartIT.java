package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway restart}: the same process comes back as a new instance, still the owner. */
class RestartIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void restartKeepsTheProcessAndAnswersAsANewInstance() throws Exception {
        LocalCli cli = new LocalCli(home);
        try (GatewayProcess gateway =
                GatewayProcess.start(home, home.resolve("logs"), "gateway", "run", "--dev", "--port", "0")) {
            gateway.awaitRunning();
            String before = status(cli).get("instanceId").asText();

            // its own JVM, with the launcher's logging: what the operator's terminal shows
            try (GatewayProcess restart = GatewayProcess.start(
                    home, home.resolve("logs"), "--dev", "gateway", "restart", "--timeout", "30s")) {
                assertThat(restart.awaitExit()).as(restart.describe()).isZero();
                assertThat(restart.stdout()).startsWith("restarted (instance ");
                assertThat(restart.stderr())
                        .as("the 1012 close that announces the restart is what the command asked for")
                        .startsWith("restart requested (instance " + before + ")")
                        .doesNotContain("WARN")
                        .doesNotContain("lost");
            }

            JsonNode after = status(cli);
            assertThat(after.get("state").asText()).isEqualTo("running");
            assertThat(after.get("pid").asLong()).isEqualTo(gateway.pid());
            assertThat(after.get("instanceId").asText()).isNotEqualTo(before);
            assertThat(gateway.stderr()).contains("restarting: re-reading");
            assertThat(cli.run("--dev", "gateway", "stop").code()).isZero();
            assertThat(gateway.awaitExit()).isZero();
        }
    }

    private static JsonNode status(LocalCli cli) throws Exception {
        return JSON.readTree(cli.run("--dev", "gateway", "status", "--json").out());
    }
}
