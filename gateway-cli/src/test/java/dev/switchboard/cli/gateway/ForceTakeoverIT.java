package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §5.1 {@code --force}: stops the verified gateway owning this state dir, then takes over. */
class ForceTakeoverIT {
    @TempDir
    Path home;

    @Test
    void forceStopsThePreviousOwnerOverRpcAndTakesOver() throws Exception {
        Path logs = home.resolve("logs");
        try (GatewayProcess first = GatewayProcess.start(home, logs, "gateway", "run", "--dev", "--port", "0");
                GatewayProcess second = startSecond(first, logs)) {
            second.awaitRunning();
            assertThat(first.awaitExit()).isZero();
            assertThat(second.stderr()).contains("--force: stopping the gateway that owns");
            var status = new ObjectMapper()
                    .readTree(new LocalCli(home)
                            .run("--dev", "gateway", "status", "--json")
                            .out());
            assertThat(status.get("state").asText()).isEqualTo("running");
            assertThat(status.get("pid").asLong()).isEqualTo(second.pid());
        }
    }

    private GatewayProcess startSecond(GatewayProcess first, Path logs) throws Exception {
        first.awaitRunning();
        return GatewayProcess.start(home, logs, "gateway", "run", "--dev", "--port", "0", "--force");
    }
}
