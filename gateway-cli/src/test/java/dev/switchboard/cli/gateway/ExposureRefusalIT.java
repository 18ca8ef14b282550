package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §5.1: a gateway never listens beyond loopback without auth. */
class ExposureRefusalIT {
    @TempDir
    Path home;

    @Test
    void aLanBindWithAuthNoneExits78BeforeOwningTheStateDir() throws Exception {
        Path state = home.resolve("state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("switchboard.conf"), "gateway.auth.mode = none\n");
        try (GatewayProcess run = GatewayProcess.start(
                home,
                home.resolve("logs"),
                "--state-dir",
                state.toString(),
                "gateway",
                "run",
                "--bind",
                "lan",
                "--port",
                "0")) {
            assertThat(run.awaitExit()).isEqualTo(78);
            assertThat(run.stderr())
                    .contains("error: " + state.resolve("switchboard.conf") + ":1: gateway.auth.mode: refusing to bind"
                            + " gateway to 0.0.0.0:0 without auth: gateway.auth.mode is \"none\" (expected:"
                            + " gateway.auth.mode = \"token\" or \"password\", or gateway.bind = \"loopback\")");
        }
        assertThat(Files.exists(state.resolve("gateway/owner.json"))).isFalse();
    }

    @Test
    void onLoopbackAuthNoneIsAllowed() throws Exception {
        Path state = home.resolve("state");
        Files.createDirectories(state);
        Files.writeString(state.resolve("switchboard.conf"), "gateway.auth.mode = none\n");
        try (GatewayProcess run = GatewayProcess.start(
                home, home.resolve("logs"), "--state-dir", state.toString(), "gateway", "run", "--port", "0")) {
            run.awaitRunning();
            // the lines after "gateway running" may still be on their way: wait for the one we check
            run.awaitStdout(Pattern.compile("auth {5}none"));
            assertThat(run.stdout()).contains("auth     none");
        }
    }
}
