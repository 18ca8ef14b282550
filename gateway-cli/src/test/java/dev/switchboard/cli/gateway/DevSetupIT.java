package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After {@code --dev setup}, {@code gateway run --dev} (another JVM) runs on its config and token file. */
class DevSetupIT {
    @TempDir
    Path home;

    @Test
    void devGatewayRunsOnTheConfigAndRequiresTheTokenSetupWrote() throws Exception {
        LocalCli cli = new LocalCli(home);
        LocalCli.Run setup = cli.run("--dev", "setup");
        assertThat(setup.code()).as(setup.out() + setup.err()).isZero();
        Path state = home.resolve(".switchboard-dev");
        String token = Files.readString(state.resolve("gateway/gateway.token"), StandardCharsets.UTF_8)
                .strip();

        try (GatewayProcess gateway =
                GatewayProcess.start(home, home.resolve("process-logs"), "gateway", "run", "--dev", "--port", "0")) {
            gateway.awaitRunning();
            assertThat(gateway.stdout())
                    .contains("  config   " + state.resolve("switchboard.conf") + "\n")
                    .doesNotContain("minted")
                    .doesNotContain(token);

            // the local CLI authenticates with control.token by itself, as before setup
            LocalCli.Run hello = cli.run("--dev", "chat", "hello");
            assertThat(hello.code()).as(hello.err() + gateway.describe()).isZero();
            assertThat(hello.out()).isEqualTo("hello\n");
            // a client elsewhere presents the token in the file setup wrote
            LocalCli.Run withToken = cli.run("--dev", "--token", token, "health");
            assertThat(withToken.code()).as(withToken.err()).isZero();
            LocalCli.Run wrong = cli.run("--dev", "--token", "not-" + token, "health");
            assertThat(wrong.code()).isEqualTo(1);
            assertThat(wrong.err()).contains("gateway.auth.token").doesNotContain(token);
        }
    }
}
