package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayTuning;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that talk to a running gateway over the control protocol ({@code health}, {@code
 * status}, {@code channels status}, {@code gateway status --deep|--url}, {@code gateway stop}),
 * against a real gateway in this JVM on port 0 running the {@code testchat} channel.
 */
class GatewayRpcCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "right-token-4f1c";

    @TempDir
    Path temp;

    private Path state;
    private Gateway gateway;

    @BeforeEach
    void startGateway() throws Exception {
        state = temp.resolve("state");
        Files.createDirectories(state);
        Files.writeString(
                state.resolve("switchboard.conf"),
                """
                testchat {
                  default_account = work
                  accounts {
                    work { bot_token = "t-work", allowed_chat_ids = [1] }
                  }
                }
                """);
        ChannelRegistry registry = ChannelRegistry.discover();
        GatewayConfig config = new ConfigLoader(registry).load(state.resolve("switchboard.conf"));
        gateway = Gateway.builder()
                .config(config)
                .stateDir(state)
                .registry(registry)
                .environment(Map.of())
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                .token(TOKEN)
                .tuning(GatewayTuning.DEFAULTS.withHeartbeat(Duration.ofHours(1)))
                .build()
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (gateway.channels().stream().anyMatch(s -> s.state() != AccountState.CONNECTED)) {
            assertThat(System.nanoTime()).as("testchat.work connects").isLessThan(deadline);
            Thread.sleep(20);
        }
        // owner.json is rewritten right after the state change: wait for it, so a test that edits
        // the file is not overwritten by that last update
        Path ownerFile = state.resolve("gateway/owner.json");
        while (!Files.readString(ownerFile, StandardCharsets.UTF_8).contains("connected")) {
            assertThat(System.nanoTime())
                    .as("owner.json shows the account connected")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private CliHarness local() {
        return new CliHarness(state);
    }

    /** A workspace with no owner files and no config: only {@code --url} can name a gateway. */
    private CliHarness elsewhere() {
        Path other = temp.resolve("elsewhere");
        try {
            Files.createDirectories(other);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new CliHarness(other);
    }

    private String url() {
        return "ws://127.0.0.1:" + gateway.port();
    }

    @Test
    void healthShowsTheGatewayAndEachChannelAccount() {
        Result run = local().run("health");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("health    ok\n")
                .contains("url       " + url() + " (local)")
                .contains("instance  " + gateway.instanceId())
                .containsPattern("store     ok \\(\\d+ ms\\)")
                .contains("agent     echo\n")
                .contains("channel   testchat.work  connected");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void healthProbeShowsEachAccountsProbeAndJsonIsThePayload() throws Exception {
        Result text = local().run("health", "--probe");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("testchat.work  connected  probe ok (test chat bot)");

        Result json = local().run("health", "--verbose", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode health = JSON.readTree(json.out());
        assertThat(health.get("ok").asBoolean()).isTrue();
        assertThat(health.get("instanceId").asText()).isEqualTo(gateway.instanceId());
        assertThat(health.get("uptimeMs").asLong()).isNotNegative();
        assertThat(health.at("/channels/0/state").asText()).isEqualTo("connected");
        assertThat(health.at("/channels/0/probe/detail").asText()).isEqualTo("test chat bot");
    }

    @Test
    void statusSummarisesTheGatewayWithChannelCounters() throws Exception {
        Result text = local().run("status");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out())
                .startsWith("gateway      running (up ")
                .contains("url          " + url() + " (local, from owner.json of " + state + ")")
                .contains("pid          " + ProcessHandle.current().pid())
                .contains("auth         token (the CLI used the control token from "
                        + state.resolve("gateway/control.token") + ")")
                .contains("connections  ")
                .containsPattern("CHANNEL +ACCOUNT +STATE +SINCE +IN +OUT +DROPPED +FAILED +RESTARTS +LAST ERROR")
                .containsPattern("testchat +work +connected +\\S+ +0 +0 +0 +0 +0 +-");

        Result json = local().run("status", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode status = JSON.readTree(json.out());
        assertThat(status.get("url").asText()).isEqualTo(url());
        assertThat(status.get("target").asText()).isEqualTo("local");
        assertThat(status.get("instanceId").asText()).isEqualTo(gateway.instanceId());
        assertThat(status.get("authMode").asText()).isEqualTo("token");
        assertThat(status.get("connections").asInt()).isPositive();
        assertThat(status.at("/channels/0/state").asText()).isEqualTo("connected");
        assertThat(status.at("/channels/0/inbound").isNumber()).isTrue();
        assertThat(status.at("/channels/0/restarts").isNumber()).isTrue();
        assertThat(json.out()).doesNotContain(TOKEN).doesNotContain(gateway.controlToken());
    }

    @Test
    void channelsStatusPrintsAnAlignedTableAndWithProbeTheProbeColumn() throws Exception {
        Result plain = local().run("channels", "status");
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.out().lines().toList()).hasSize(2);
        assertThat(plain.out()).doesNotContain("PROBE");

        Result probed = local().run("channels", "status", "--probe");
        assertThat(probed.exitCode()).as(probed.toString()).isZero();
        var lines = probed.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .matches("CHANNEL +ACCOUNT +STATE +SINCE +IN +OUT +DROPPED +FAILED +RESTARTS +PROBE +LAST ERROR");
        assertThat(lines.get(1)).matches("testchat +work +connected +\\S+ +0 +0 +0 +0 +0 +ok \\(test chat bot\\) +-");
        assertThat(lines.get(1).indexOf("ok (test chat bot)"))
                .as("columns are aligned")
                .isEqualTo(lines.get(0).indexOf("PROBE"));

        Result json = local().run("channels", "status", "--probe", "--json");
        JsonNode payload = JSON.readTree(json.out());
        assertThat(payload.at("/channels/0/account").asText()).isEqualTo("work");
        assertThat(payload.at("/channels/0/probe/ok").asBoolean()).isTrue();
        assertThat(payload.at("/channels/0/probe/detail").asText()).isEqualTo("test chat bot");
        assertThat(payload.at("/channels/0/outbound").isNumber()).isTrue();
    }

    @Test
    void gatewayStatusDeepAddsLiveHealthAndChannelsFromTheRpc() throws Exception {
        Result json = local().run("gateway", "status", "--deep", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode status = JSON.readTree(json.out());
        assertThat(status.get("state").asText()).isEqualTo("running");
        assertThat(status.has("readiness")).isFalse();
        assertThat(status.has("deepError")).isFalse();
        assertThat(status.at("/health/ok").asBoolean()).isTrue();
        assertThat(status.at("/health/channels/0/probe/detail").asText()).isEqualTo("test chat bot");
        assertThat(status.at("/channels/0/state").asText()).isEqualTo("connected");
        assertThat(status.at("/channels/0/probe/ok").asBoolean()).isTrue();
        assertThat(status.at("/channels/0/inbound").isNumber()).isTrue();

        Result text = local().run("gateway", "status", "--deep");
        assertThat(text.out())
                .contains("health     ok\n")
                .containsPattern("live       testchat\\.work +connected +in 0 +out 0 +dropped 0 +failed 0 +restarts 0"
                        + " +probe ok \\(test chat bot\\)");
    }

    @Test
    void aFailingAccountShowsInTheTableAndMakesHealthNotOk() throws Exception {
        Path flakyState = temp.resolve("flaky");
        Files.createDirectories(flakyState);
        Files.writeString(
                flakyState.resolve("switchboard.conf"),
                """
                testchat {
                  default_account = flaky
                  accounts { flaky { bot_token = "reject-me", allowed_chat_ids = [2] } }
                }
                """);
        ChannelRegistry registry = ChannelRegistry.discover();
        try (Gateway flaky = Gateway.builder()
                .config(new ConfigLoader(registry).load(flakyState.resolve("switchboard.conf")))
                .stateDir(flakyState)
                .registry(registry)
                .environment(Map.of())
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                .build()
                .start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (flaky.channels().get(0).lastError().isEmpty()) {
                assertThat(System.nanoTime()).as("the account fails").isLessThan(deadline);
                Thread.sleep(20);
            }
            CliHarness cli = new CliHarness(flakyState);

            Result table = cli.run("channels", "status", "--probe");
            assertThat(table.exitCode()).as(table.toString()).isZero();
            assertThat(table.out())
                    .containsPattern(
                            "testchat +flaky +(reconnecting|failed|starting) .*failed \\(.*platform refused the"
                                    + " token");

            Result health = cli.run("health", "--probe");
            assertThat(health.exitCode()).as("a failing account fails health").isEqualTo(1);
            assertThat(health.out())
                    .containsPattern("^health    not ok: testchat.flaky (reconnecting|failed|starting)\n");

            // without --probe nothing is probed, and the account that is not connected is still not ok
            Result plain = cli.run("health");
            assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(1);
            assertThat(plain.out())
                    .containsPattern("^health    not ok: testchat.flaky (reconnecting|failed|starting)\n");
        }
    }

    @Test
    void urlAndTokenReachTheGatewayFromAWorkspaceWithoutOwnerFiles() throws Exception {
        Result health = elsewhere().run("--url", url(), "--token", TOKEN, "health", "--json");
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(JSON.readTree(health.out()).get("instanceId").asText()).isEqualTo(gateway.instanceId());

        Result status = elsewhere().run("--url", url(), "--token", TOKEN, "gateway", "status", "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode remote = JSON.readTree(status.out());
        assertThat(remote.get("state").asText()).isEqualTo("running");
        assertThat(remote.get("rpc").asText()).isEqualTo("ok");
        assertThat(remote.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(remote.get("target").asText()).isEqualTo("remote");
        assertThat(remote.get("credentialSource").asText()).isEqualTo("the token given with --token");

        Result envToken = elsewhere().env("SWITCHBOARD_GATEWAY_TOKEN", TOKEN).run("--url", url(), "channels", "status");
        assertThat(envToken.exitCode()).as(envToken.toString()).isZero();
        assertThat(envToken.out()).contains("testchat");
    }

    @Test
    void aWrongTokenShowsTheGatewaysAnswerAndWhichSourceTheCliUsedButNoValue() {
        Result flag = elsewhere().run("--url", url(), "--token", "wrong-token-77", "health");

        assertThat(flag.exitCode()).isEqualTo(1);
        assertThat(flag.out()).isEmpty();
        assertThat(flag.err().lines())
                .containsExactly(
                        "error: token mismatch: this gateway expects the token from --token (on the gateway host, the"
                                + " CLI reads <state>/gateway/control.token by itself)",
                        "error: the CLI sent the token given with --token");

        Result env =
                elsewhere().env("SWITCHBOARD_GATEWAY_TOKEN", "wrong-token-77").run("--url", url(), "status");
        assertThat(env.exitCode()).isEqualTo(1);
        assertThat(env.err())
                .contains("token mismatch")
                .contains("the CLI sent the token from SWITCHBOARD_GATEWAY_TOKEN");
        assertThat(flag.err() + env.err()).doesNotContain("wrong-token-77").doesNotContain(TOKEN);

        Result status = elsewhere().run("--url", url(), "--token", "wrong-token-77", "gateway", "status");
        assertThat(status.exitCode()).as("gateway status never fails").isZero();
        assertThat(status.out()).contains("state      refused").contains("token mismatch");
    }

    @Test
    void anUnreachableUrlFailsFastAndSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long started = System.nanoTime();
        Result run = elsewhere().run("--url", "ws://127.0.0.1:" + closedPort, "--token", TOKEN, "health");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: gateway unreachable at ws://127.0.0.1:" + closedPort);
        assertThat(took).isLessThan(Duration.ofSeconds(5));

        Result status = elsewhere().run("--url", "ws://127.0.0.1:" + closedPort, "gateway", "status", "--json");
        assertThat(status.exitCode()).isZero();
        JsonNode json = JSON.readTree(status.out());
        assertThat(json.get("state").asText()).isEqualTo("unreachable");
        assertThat(json.get("rpc").asText()).contains("unreachable");
    }

    @Test
    void aRemoteModeConfigSendsTheCommandsToGatewayRemoteUrlWithRemoteToken() throws Exception {
        Path client = temp.resolve("client");
        Files.createDirectories(client);
        Files.writeString(
                client.resolve("switchboard.conf"),
                "gateway { mode = remote, remote { url = \"" + url() + "\", token = { env = REMOTE_TOKEN } } }\n");
        CliHarness cli = new CliHarness(client).env("REMOTE_TOKEN", TOKEN);

        Result health = cli.run("health");
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(health.out()).contains("url       " + url() + " (remote)").contains("testchat.work");

        Result status = cli.run("status", "--json");
        JsonNode json = JSON.readTree(status.out());
        assertThat(json.get("urlSource").asText()).isEqualTo("gateway.remote.url (gateway.mode = \"remote\")");
        assertThat(json.get("credentialSource").asText())
                .isEqualTo("the token from gateway.remote.token (env REMOTE_TOKEN)");

        Result unset = new CliHarness(client).run("health");
        assertThat(unset.exitCode()).isEqualTo(1);
        assertThat(unset.err()).contains("gateway.remote.token").contains("REMOTE_TOKEN");
    }

    @Test
    void localCommandsWithoutARunningGatewaySayHowToStartIt() throws Exception {
        Result run = elsewhere().run("health");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo("error: gateway not running (state dir " + temp.resolve("elsewhere")
                        + "); start it with: switchboard --state-dir " + temp.resolve("elsewhere")
                        + " gateway run\n");
    }

    @Test
    void withoutAReadableControlTokenTheCliSaysWhatItSent() throws Exception {
        Path tokenFile = state.resolve("gateway/control.token");
        Files.delete(tokenFile);

        Result none = local().run("health");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err())
                .contains("error: auth.token is missing: this gateway expects the token from --token")
                .contains("error: the CLI sent no credential (" + tokenFile + " does not exist)");

        Result fromEnv = local().env("SWITCHBOARD_GATEWAY_TOKEN", TOKEN).run("health");
        assertThat(fromEnv.exitCode()).as(fromEnv.toString()).isZero();
    }

    @Test
    void aServerThatIsNotTheOwnerNamedByOwnerJsonIsNeverTakenForIt() throws Exception {
        Path ownerFile = state.resolve("gateway/owner.json");
        String other = UUID.randomUUID().toString();
        // a last owner.json update of the start may still land: write until our edit stays put
        do {
            Files.writeString(
                    ownerFile,
                    Files.readString(ownerFile, StandardCharsets.UTF_8).replace(gateway.instanceId(), other),
                    StandardCharsets.UTF_8);
            Thread.sleep(200);
        } while (!Files.readString(ownerFile, StandardCharsets.UTF_8).contains(other));

        Result run = local().run("health");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains("answered as gateway instance '" + gateway.instanceId() + "'")
                .contains("names instance '" + other + "'");
    }

    @Test
    void gatewayStopAsksTheOwnerOverRpc() throws Exception {
        Result stop = local().run("gateway", "stop", "--timeout", "10s");

        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).isEqualTo("stopped\n");
        assertThat(stop.err()).doesNotContain("note:");
        assertThat(gateway.state()).isEqualTo(Gateway.State.STOPPED);
        JsonNode status =
                JSON.readTree(local().run("gateway", "status", "--json").out());
        assertThat(status.get("state").asText()).isEqualTo("stopped");
        assertThat(status.get("shutdownReason").asText()).startsWith("gateway.stop from switchboard-cli ");
    }

    @Test
    void gatewayStopWithUrlRequestsTheStopAndWaitsForTheGatewayToClose() throws Exception {
        Result stop = elsewhere().run("--url", url(), "--token", TOKEN, "gateway", "stop");

        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out())
                .startsWith("stop requested\nthe gateway closed the connection (shutdown: gateway.stop from");
        assertThat(gateway.awaitStopped(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void gatewayStopWithAnUnreachableUrlFails() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Result stop = elsewhere().run("--url", "ws://127.0.0.1:" + closedPort, "gateway", "stop");

        assertThat(stop.exitCode()).isEqualTo(1);
        assertThat(stop.err()).contains("gateway unreachable at ws://127.0.0.1:" + closedPort);
        assertThat(gateway.state()).isEqualTo(Gateway.State.RUNNING);
    }
}
