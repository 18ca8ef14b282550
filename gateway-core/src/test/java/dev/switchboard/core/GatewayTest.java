package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.selector.SelectorParser;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.core.testing.TestGateways;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TWO_ACCOUNTS =
            """
            chat {
              default_account = good
              accounts {
                good { token = "token-good", allowed_ids = [1] }
                bad { token = "token-bad", allowed_ids = ["*"] }
              }
            }
            """;

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final ChannelRegistry registry = ChannelRegistry.of(chat);
    private final List<Gateway> gateways = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeAll() {
        gateways.forEach(Gateway::close);
    }

    @Test
    void runsAndStopsAsTheOwnerOfItsStateDirectory() throws Exception {
        Gateway gateway = start(builder(TWO_ACCOUNTS).session("main"));

        assertThat(gateway.state()).isEqualTo(Gateway.State.RUNNING);
        await().atMost(WAIT).until(() -> gateway.readiness().ready());
        JsonNode owner = ownerJson();
        assertThat(owner.get("phase").asText()).isEqualTo("running");
        assertThat(owner.get("port").asInt()).isEqualTo(gateway.port()).isPositive();
        assertThat(owner.get("portSource").asText()).isEqualTo("cli");
        assertThat(owner.get("session").asText()).isEqualTo("main");
        assertThat(owner.get("mode").asText()).isEqualTo("gateway");
        assertThat(owner.get("instanceId").asText()).isEqualTo(gateway.instanceId());
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                        ownerJson().get("channels").get(0).get("state").asText())
                .isEqualTo("connected"));
        assertThat(get(gateway, "/healthz").body()).contains(gateway.instanceId());
        assertThat(get(gateway, "/readyz").statusCode()).isEqualTo(200);
        assertThat(Files.exists(paths().controlTokenFile())).isTrue();

        gateway.close("test over");
        gateway.close("twice");

        assertThat(gateway.state()).isEqualTo(Gateway.State.STOPPED);
        assertThat(gateway.awaitStopped(Duration.ZERO)).isTrue();
        JsonNode stopped = ownerJson();
        assertThat(stopped.get("phase").asText()).isEqualTo("stopped");
        assertThat(stopped.get("shutdownReason").asText()).isEqualTo("test over");
        assertThat(Files.exists(paths().controlTokenFile())).isFalse();
        assertThat(chat.adapters("good"))
                .allSatisfy(adapter -> assertThat(adapter.closed).isTrue());
        assertThatThrownBy(() -> get(gateway, "/healthz")).isInstanceOf(IOException.class);
    }

    @Test
    void aFailingAccountNeverTakesTheGatewayDown() throws Exception {
        chat.failingStart("bad"::equals);
        Gateway gateway = start(builder(TWO_ACCOUNTS.replace("default_account = good", "default_account = bad")));

        await().atMost(WAIT).until(() -> gateway.channels().get(0).restarts() >= 2);
        assertThat(gateway.state()).isEqualTo(Gateway.State.RUNNING);
        HttpResponse<String> readyz = get(gateway, "/readyz");
        assertThat(readyz.statusCode()).isEqualTo(503);
        assertThat(readyz.body()).contains("chat.bad (");
        assertThat(ownerJson().get("channels").get(0).get("lastError").asText()).contains("platform refused bad");
    }

    @Test
    void accountWithAnUnresolvableSecretRunsDegradedAndCountsAsStarted() throws Exception {
        String config =
                """
                chat.accounts.main { token = { env = "CHAT_TOKEN_MISSING" }, allowed_ids = [1] }
                """;
        Gateway gateway = start(builder(config));

        assertThat(gateway.channels().get(0).state()).isEqualTo(AccountState.DEGRADED);
        assertThat(gateway.channels().get(0).lastError())
                .hasValueSatisfying(e -> assertThat(e).contains("CHAT_TOKEN_MISSING"));
        assertThat(get(gateway, "/readyz").statusCode()).isEqualTo(200);
        assertThat(chat.created).isEmpty();
    }

    @Test
    void aSecondGatewayOnTheSameStateDirIsRefusedAndTheFirstKeepsRunning() throws IOException {
        Gateway first = start(builder(TWO_ACCOUNTS).session("main"));

        assertThatThrownBy(() -> start(builder(TWO_ACCOUNTS)))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                        .isEqualTo(SwitchboardException.Kind.CONFIG))
                .hasMessage("gateway already running (pid "
                        + ProcessHandle.current().pid() + ", session main," + " ws://127.0.0.1:" + first.port()
                        + "); stop it with: switchboard gateway stop");
        assertThat(first.state()).isEqualTo(Gateway.State.RUNNING);
        assertThat(ownerJson().get("instanceId").asText()).isEqualTo(first.instanceId());
    }

    @Test
    void aStartThatFailsAfterTakingOwnershipRecordsFailedAndReleasesTheLock() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Gateway.Builder builder = builder(TWO_ACCOUNTS)
                    .listen(new ListenAddress("127.0.0.1", taken.getLocalPort(), PortSource.CONFIG));
            assertThatThrownBy(() -> start(builder))
                    .hasMessageStartingWith(
                            "another process is already listening on 127.0.0.1:" + taken.getLocalPort());
        }
        JsonNode owner = ownerJson();
        assertThat(owner.get("phase").asText()).isEqualTo("failed");
        assertThat(owner.get("lastError").asText()).startsWith("another process is already listening");
        assertThat(Files.exists(paths().controlTokenFile())).isFalse();
        // the lock is free again: a new gateway starts
        assertThat(start(builder(TWO_ACCOUNTS)).state()).isEqualTo(Gateway.State.RUNNING);
    }

    @Test
    void selectorMistakesFailBeforeAnyFileIsWritten() {
        Path fresh = stateDir.resolve("never-created");
        SelectorParser parser = new SelectorParser(registry);
        assertThatThrownBy(() ->
                        start(builder(TWO_ACCOUNTS).stateDir(fresh).selectors(parser.parse(List.of("chat=nobody")))))
                .hasMessageContaining("account 'nobody' is not configured for chat (configured: good, bad)");
        assertThat(fresh).doesNotExist();
    }

    @Test
    void multiChannelServeNeedsAChannel() {
        Path fresh = stateDir.resolve("never-created");
        assertThatThrownBy(() -> start(builder("").stateDir(fresh).mode(OwnerRecord.Mode.MULTI_CHANNEL_SERVE)))
                .hasMessageStartingWith("multi-channel-serve needs at least one enabled runtime channel");
        assertThat(fresh).doesNotExist();
    }

    @Test
    void gatewayRunsWithNoChannelsAtAll() throws Exception {
        Gateway gateway = start(builder(""));
        assertThat(gateway.channels()).isEmpty();
        assertThat(get(gateway, "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void nonLoopbackBindWithoutAuthIsRefused() {
        Gateway.Builder builder =
                builder("gateway.auth.mode = none").listen(new ListenAddress("0.0.0.0", 0, PortSource.CLI));
        assertThatThrownBy(() -> start(builder))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                        .isEqualTo(SwitchboardException.Kind.CONFIG))
                .hasMessage("refusing to bind gateway to 0.0.0.0:0 without auth"
                        + " (set gateway.auth.token/password or SWITCHBOARD_GATEWAY_TOKEN)");
    }

    private Gateway.Builder builder(String hocon) {
        return TestGateways.builder(registry, hocon, stateDir);
    }

    private Gateway start(Gateway.Builder builder) {
        Gateway gateway = builder.build();
        gateways.add(gateway);
        return gateway.start();
    }

    private OwnerPaths paths() {
        return new OwnerPaths(stateDir);
    }

    private JsonNode ownerJson() throws IOException {
        return JSON.readTree(paths().ownerFile().toFile());
    }

    private HttpResponse<String> get(Gateway gateway, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
