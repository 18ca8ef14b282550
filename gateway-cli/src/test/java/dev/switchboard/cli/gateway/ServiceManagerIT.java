package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway started by a service manager, as the unit {@code gateway install} writes starts it
 * ({@code INVOCATION_ID} from systemd, {@code SWITCHBOARD_SERVICE} from the unit): status names the
 * manager, and stop and restart go through it. There is no systemd user manager here, so {@code
 * SWITCHBOARD_SYSTEMCTL} points at a script that records its arguments and does what systemd would:
 * it sends the unit's process SIGTERM itself, waits until it is gone and, for a restart, starts a
 * new one.
 */
class ServiceManagerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNIT = "switchboard-gateway.service";

    @TempDir
    Path home;

    private Path calls;
    private Path failNext;
    private LocalCli cli;

    @BeforeEach
    void fakeSystemctl() throws Exception {
        calls = home.resolve("systemctl-calls");
        failNext = home.resolve("systemctl-fails");
        Path script = home.resolve("systemctl");
        Path owner = home.resolve(".switchboard-dev/gateway/owner.json");
        String gateway = String.join(
                " ",
                List.of(
                        quote(ProcessHandle.current().info().command().orElseThrow()),
                        "-cp",
                        quote(System.getProperty("java.class.path")),
                        Main.class.getName(),
                        "gateway",
                        "run",
                        "--dev",
                        "--port",
                        "0"));
        Files.writeString(
                script,
                """
                #!/bin/sh
                echo "$*" >> '%1$s'
                if [ -e '%2$s' ]; then
                  rm '%2$s'
                  echo "Failed to $2 $3: Access denied" >&2
                  echo "See system logs for details." >&2
                  exit 4
                fi
                pid=$(sed -n 's/^ *"pid" : \\([0-9]*\\),$/\\1/p' '%3$s')
                kill -TERM "$pid"
                while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
                if [ "$2" = restart ]; then
                  HOME='%4$s' INVOCATION_ID=fake-invocation SWITCHBOARD_SERVICE=%5$s \\
                    nohup %6$s > '%4$s/restarted.out' 2>&1 < /dev/null &
                fi
                """
                        .formatted(calls, failNext, owner, home, UNIT, gateway),
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        cli = new LocalCli(
                home,
                Map.of(
                        "SWITCHBOARD_SYSTEMCTL",
                        script.toString(),
                        "SWITCHBOARD_SERVICE_DIR",
                        home.resolve("units").toString()));
    }

    /** A gateway the fake restarted is not this test's child: make sure it does not outlive the test. */
    @AfterEach
    void stopWhatTheFakeStarted() throws Exception {
        Optional<ProcessHandle> left = pidInOwnerFile().flatMap(ProcessHandle::of);
        if (left.isPresent()
                && left.get().isAlive()
                && left.get().pid() != ProcessHandle.current().pid()) {
            left.get().destroyForcibly();
        }
    }

    @Test
    void statusNamesTheManagerAndStopAndRestartGoThroughIt() throws Exception {
        assertThat(cli.run("--dev", "gateway", "install").code()).isZero();
        try (GatewayProcess gateway = GatewayProcess.start(
                home,
                home.resolve("process-logs"),
                Map.of("INVOCATION_ID", "fake-invocation", "SWITCHBOARD_SERVICE", UNIT),
                "gateway",
                "run",
                "--dev",
                "--port",
                "0")) {
            gateway.awaitRunning();

            JsonNode running = statusJson();
            assertThat(running.get("state").asText()).isEqualTo("running");
            assertThat(running.get("service").toString())
                    .isEqualTo("{\"manager\":\"systemd\",\"name\":\"" + UNIT + "\"}");
            assertThat(cli.run("--dev", "gateway", "status").out())
                    .contains("managed by systemd (" + UNIT + ")\n")
                    .doesNotContain("installed as a service");

            LocalCli.Run restart = cli.run("--dev", "gateway", "restart", "--timeout", "60s");
            assertThat(restart.code()).as(restart.err()).isZero();
            assertThat(restart.err())
                    .contains("managed by systemd (" + UNIT + ")): ran " + home.resolve("systemctl")
                            + " --user restart " + UNIT);
            assertThat(restart.out()).startsWith("restarted (instance ");
            assertThat(gateway.awaitExit())
                    .as("the manager ended the old process")
                    .isZero();
            assertThat(calls()).containsExactly("--user restart " + UNIT);
        }
        JsonNode restarted = statusJson();
        assertThat(restarted.get("state").asText()).isEqualTo("running");
        assertThat(restarted.get("service").get("name").asText()).isEqualTo(UNIT);

        Files.writeString(failNext, "");
        LocalCli.Run refused = cli.run("--dev", "gateway", "stop");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err())
                .contains("error: " + home.resolve("systemctl") + " --user stop " + UNIT
                        + " failed (exit 4: Failed to stop " + UNIT + ": Access denied); the gateway (pid "
                        + restarted.get("pid").asLong() + ") was not stopped");
        assertThat(statusJson().get("state").asText())
                .as("no fallback to RPC or SIGTERM behind the manager's back")
                .isEqualTo("running");

        LocalCli.Run stop = cli.run("--dev", "gateway", "stop", "--timeout", "30s");
        assertThat(stop.code()).as(stop.err()).isZero();
        assertThat(stop.out()).isEqualTo("stopped\n");
        assertThat(stop.err())
                .contains("ran " + home.resolve("systemctl") + " --user stop " + UNIT)
                .as("neither the RPC nor the CLI's own SIGTERM fallback was tried")
                .doesNotContain("note:");
        assertThat(calls()).endsWith("--user stop " + UNIT, "--user stop " + UNIT);
        JsonNode stopped = statusJson();
        assertThat(stopped.get("state").asText()).isEqualTo("stopped");
        assertThat(stopped.get("shutdownReason").asText())
                .as("stopped by the manager's signal, not over the RPC")
                .isEqualTo("SIGTERM received");
        assertThat(stopped.get("installedService").get("name").asText()).isEqualTo(UNIT);
        assertThat(cli.run("--dev", "gateway", "status").out())
                .contains("service    installed as a service: start with systemctl --user start " + UNIT + "\n");
    }

    private JsonNode statusJson() throws Exception {
        LocalCli.Run run = cli.run("--dev", "gateway", "status", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private List<String> calls() throws Exception {
        return Files.readAllLines(calls, StandardCharsets.UTF_8);
    }

    private Optional<Long> pidInOwnerFile() throws Exception {
        Path owner = home.resolve(".switchboard-dev/gateway/owner.json");
        return Files.exists(owner)
                ? Optional.of(JSON.readTree(owner.toFile()).get("pid").asLong())
                : Optional.empty();
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
