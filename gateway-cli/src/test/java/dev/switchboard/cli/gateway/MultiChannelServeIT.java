package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code multi-channel-serve}: the foreground wrapper over the same runtime and owner files. */
class MultiChannelServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ANY_PORT = Map.of("SWITCHBOARD_GATEWAY_PORT", "0");

    @TempDir
    Path home;

    private Path state;

    @BeforeEach
    void writeConfig() throws Exception {
        state = home.resolve("state");
        Files.createDirectories(state);
        Files.writeString(
                state.resolve("switchboard.conf"),
                """
                testchat {
                  default_account = work
                  accounts {
                    work { bot_token = "t-work", allowed_chat_ids = [1] }
                    flaky { bot_token = "reject-me", allowed_chat_ids = [2] }
                  }
                }
                """);
    }

    @Test
    void showsChannelTransitionsOnStdoutAndIsAnOwnerLikeGatewayRun() throws Exception {
        try (GatewayProcess serve = serve("--session", "ops", "--channel-account", "TC=work")) {
            serve.awaitStdout(Pattern.compile("channel testchat\\.work: connected"));
            assertThat(serve.stdout())
                    .contains("channel testchat.work: starting")
                    .contains("multi-channel-serve running:");

            JsonNode status = JSON.readTree(cli("--state-dir", state.toString(), "gateway", "status", "--json"));
            assertThat(status.get("state").asText()).isEqualTo("running");
            assertThat(status.get("mode").asText()).isEqualTo("multi_channel_serve");
            assertThat(status.get("session").asText()).isEqualTo("ops");
            assertThat(status.get("channels").get(0).get("state").asText()).isEqualTo("connected");

            assertThat(cli("--state-dir", state.toString(), "gateway", "stop")).isEqualTo("stopped\n");
            assertThat(serve.awaitExit()).isZero();
        }
    }

    @Test
    void aFailingAccountIsShownRetryingAndTheGatewayStaysUp() throws Exception {
        try (GatewayProcess serve = serve("--session", "ops", "--channel-account", "testchat=flaky")) {
            serve.awaitStdout(
                    Pattern.compile("channel testchat\\.flaky: reconnecting \\(platform refused the token\\)"));
            assertThat(serve.isAlive()).isTrue();
            assertThat(serve.stdout()).doesNotContain("reject-me").doesNotContain("t-work");
        }
    }

    @Test
    void refusesToServeWithoutAnyEnabledChannel() throws Exception {
        Files.writeString(
                state.resolve("switchboard.conf"),
                "testchat.enabled = false\n" + Files.readString(state.resolve("switchboard.conf")));
        try (GatewayProcess serve = serve("--session", "ops")) {
            assertThat(serve.awaitExit()).isEqualTo(78);
            assertThat(serve.stderr()).contains("multi-channel-serve needs at least one enabled runtime channel");
        }
        assertThat(Files.exists(state.resolve("gateway"))).isFalse();
    }

    private String cli(String... args) {
        return new LocalCli(home).run(args).out();
    }

    /** {@code multi-channel-serve} with {@code args} in its own JVM, on this test's state dir and a free port. */
    private GatewayProcess serve(String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "--state-dir";
        command[1] = state.toString();
        command[2] = "multi-channel-serve";
        System.arraycopy(args, 0, command, 3, args.length);
        return GatewayProcess.start(home, home.resolve("logs"), ANY_PORT, command);
    }
}
