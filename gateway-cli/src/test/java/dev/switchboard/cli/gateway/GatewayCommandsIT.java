package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner contract as an operator meets it (SPEC §4): {@code gateway run} in one JVM, {@code
 * gateway status} and {@code gateway stop} from another, a second {@code run}, and a {@code kill -9}.
 */
class GatewayCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void runStatusStopSecondRunKillAndRestart() throws Exception {
        Path logs = home.resolve("process-logs");
        try (GatewayProcess first =
                GatewayProcess.start(home, logs, "gateway", "run", "--dev", "--port", "0", "--session", "main")) {
            int port = first.awaitRunning();

            JsonNode running = statusJson();
            assertThat(running.get("state").asText()).isEqualTo("running");
            assertThat(running.get("pid").asLong()).isEqualTo(first.pid());
            assertThat(running.get("port").asInt()).isEqualTo(port);
            assertThat(running.get("portSource").asText()).isEqualTo("cli");
            assertThat(running.get("session").asText()).isEqualTo("main");
            assertThat(running.get("mode").asText()).isEqualTo("gateway");
            assertThat(running.get("startedAt").asText()).isNotBlank();
            assertThat(running.get("rpc").asText()).isEqualTo("ok");
            assertThat(running.get("stateDir").asText())
                    .isEqualTo(home.resolve(".switchboard-dev").toString());

            try (GatewayProcess second = GatewayProcess.start(home, logs, "gateway", "run", "--dev", "--port", "0")) {
                assertThat(second.awaitExit()).as(second.describe()).isEqualTo(78);
                assertThat(second.stderr())
                        .contains("error: gateway already running (pid " + first.pid() + ", session main,"
                                + " ws://127.0.0.1:" + port + "); stop it with: switchboard gateway stop");
            }
            assertThat(statusJson().get("pid").asLong())
                    .as("the first owner is undisturbed")
                    .isEqualTo(first.pid());

            LocalCli.Run stop = cli("--dev", "gateway", "stop", "--timeout", "30s");
            assertThat(stop.code()).as(stop.err()).isZero();
            assertThat(stop.out()).isEqualTo("stopped\n");
            assertThat(first.isAlive())
                    .as("stop returns only once the process is gone")
                    .isFalse();
            assertThat(stop.err()).as("the RPC worked: no SIGTERM fallback").doesNotContain("note:");
            JsonNode stopped = statusJson();
            assertThat(stopped.get("state").asText()).isEqualTo("stopped");
            assertThat(stopped.get("phase").asText()).isEqualTo("stopped");
            assertThat(stopped.get("shutdownReason").asText())
                    .as("stopped over the control RPC, authenticated with control.token")
                    .startsWith("gateway.stop from switchboard-cli ");
        }
        assertThat(cli("--dev", "gateway", "stop").out()).isEqualTo("not running\n");

        String staleInstance;
        try (GatewayProcess doomed = GatewayProcess.start(home, logs, "gateway", "run", "--dev", "--port", "0")) {
            doomed.awaitRunning();
            staleInstance = statusJson().get("instanceId").asText();
            doomed.kill9();
        }
        JsonNode stale = statusJson();
        assertThat(stale.get("state").asText()).isEqualTo("stale");
        assertThat(stale.get("instanceId").asText()).isEqualTo(staleInstance);

        try (GatewayProcess next = GatewayProcess.start(home, logs, "gateway", "run", "--dev", "--port", "0")) {
            next.awaitRunning();
            JsonNode reclaimed = statusJson();
            assertThat(reclaimed.get("state").asText()).isEqualTo("running");
            assertThat(reclaimed.get("instanceId").asText()).isNotEqualTo(staleInstance);
            assertThat(cli("--dev", "gateway", "stop").code()).isZero();
            assertThat(next.awaitExit()).as("a stopped gateway exits 0").isZero();
            assertThat(statusJson().get("shutdownReason").asText()).startsWith("gateway.stop from");
        }
    }

    @Test
    void whenTheStopRpcIsRefusedStopFallsBackToTheGuardedSigterm() throws Exception {
        try (GatewayProcess gateway =
                GatewayProcess.start(home, home.resolve("process-logs"), "gateway", "run", "--dev", "--port", "0")) {
            gateway.awaitRunning();
            // without control.token (and no other credential) the gateway refuses the RPC
            Files.delete(home.resolve(".switchboard-dev/gateway/control.token"));

            LocalCli.Run stop = cli("--dev", "gateway", "stop", "--timeout", "30s");

            assertThat(stop.code()).as(stop.err()).isZero();
            assertThat(stop.out()).isEqualTo("stopped\n");
            assertThat(stop.err())
                    .contains("note: the stop request over RPC failed (auth.token is missing: this gateway expects")
                    .contains("the CLI sent no credential")
                    .contains("; sent SIGTERM to the verified owner");
            assertThat(gateway.awaitExit()).isZero();
            assertThat(statusJson().get("shutdownReason").asText()).isEqualTo("SIGTERM received");
        }
    }

    @Test
    void withoutAConfigFileRunRefusesAndSaysWhatToDo() throws Exception {
        try (GatewayProcess run = GatewayProcess.start(home, home.resolve("logs"), "gateway", "run", "--port", "0")) {
            assertThat(run.awaitExit()).isEqualTo(78);
            assertThat(run.stderr())
                    .contains("error: no config file found (looked at " + home.resolve(".switchboard/switchboard.conf"))
                    .contains("--dev")
                    .contains("config init")
                    .contains("--allow-unconfigured");
        }
        assertThat(Files.exists(home.resolve(".switchboard/gateway")))
                .as("nothing written")
                .isFalse();
    }

    @Test
    void aBadSelectorExitsTwoBeforeTouchingTheStateDir() throws Exception {
        try (GatewayProcess run = GatewayProcess.start(
                home, home.resolve("logs"), "gateway", "run", "--dev", "--channel-account", "telegrambot123")) {
            assertThat(run.awaitExit()).isEqualTo(2);
            assertThat(run.stderr()).contains("--channel-account 'telegrambot123' must use CHANNEL=ACCOUNT syntax");
        }
        assertThat(Files.exists(home.resolve(".switchboard-dev"))).isFalse();
    }

    private JsonNode statusJson() throws Exception {
        LocalCli.Run status = cli("--dev", "gateway", "status", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        return JSON.readTree(status.out());
    }

    private LocalCli.Run cli(String... args) {
        return new LocalCli(home).run(args);
    }
}
