package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two profiles on one host, as the runbook's multiple-gateways checklist describes them. */
class TwoProfilesIT {
    @TempDir
    Path home;

    @Test
    void aPortHeldByAnotherProfilesGatewayIsRefusedNamingThatProfile() throws Exception {
        Path work = Files.createDirectories(home.resolve(".switchboard-work"));
        Files.writeString(work.resolve("switchboard.conf"), "gateway.auth.mode = none\n");
        Path mine = Files.createDirectories(home.resolve(".switchboard"));
        Files.writeString(mine.resolve("switchboard.conf"), "gateway.auth.mode = none\n");
        try (GatewayProcess other = GatewayProcess.start(
                home, home.resolve("logs"), "--profile", "work", "gateway", "run", "--port", "0")) {
            int port = other.awaitRunning();
            try (GatewayProcess second = GatewayProcess.start(
                    home, home.resolve("logs"), "gateway", "run", "--port", Integer.toString(port))) {
                assertThat(second.awaitExit()).as(second.describe()).isEqualTo(78);
                assertThat(second.stderr())
                        .contains("another process is already listening on 127.0.0.1:" + port
                                + " (the gateway of profile work (" + work + "), pid " + other.pid()
                                + "; see: switchboard --profile work gateway status)");
            }
        }
    }
}
