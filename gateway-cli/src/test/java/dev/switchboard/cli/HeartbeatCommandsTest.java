package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayTuning;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard heartbeat last | enable | disable | wake} against a real gateway in this JVM on
 * port 0 (the {@code testchat} channel as the heartbeat target; an interval long enough that only the
 * runs the tests start happen).
 */
class HeartbeatCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG =
            """
            gateway.auth.token = "hb-cli-token-1"
            testchat.accounts.work { bot_token = "t-1", allowed_chat_ids = [1] }
            agent.heartbeat {
              enabled = true
              interval = "12h"
              prompt = "HEARTBEAT_OK"
              target { channel = "testchat", to = "1" }
            }
            """;

    @TempDir
    Path state;

    private Gateway gateway;

    @BeforeEach
    void startGateway() throws Exception {
        Path configFile = state.resolve("switchboard.conf");
        Files.writeString(configFile, CONFIG);
        ChannelRegistry registry = ChannelRegistry.discover();
        gateway = Gateway.builder()
                .config(new ConfigLoader(registry).load(configFile))
                .stateDir(state)
                .registry(registry)
                .environment(Map.of())
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                .tuning(GatewayTuning.DEFAULTS.withHeartbeat(Duration.ofHours(1)))
                .build()
                .start();
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private Result run(String... args) {
        return new CliHarness(state).run(args);
    }

    @Test
    void lastShowsTheScheduleAndDisableEnableSwitchIt() throws Exception {
        Result last = run("heartbeat", "last");
        assertThat(last.exitCode()).as(last.toString()).isZero();
        assertThat(last.out())
                .contains("heartbeats: on", "last run:   none yet")
                .containsPattern("next run:   20");

        Result off = run("heartbeat", "disable");
        assertThat(off.exitCode()).as(off.toString()).isZero();
        assertThat(off.out()).contains("heartbeats: off", "next run:   none (heartbeats off)");

        Result json = run("heartbeat", "last", "--json");
        JsonNode state = JSON.readTree(json.out());
        assertThat(state.path("enabled").asBoolean(true)).isFalse();
        assertThat(state.has("nextAt")).isFalse();

        Result on = run("heartbeat", "enable", "--json");
        assertThat(JSON.readTree(on.out()).path("enabled").asBoolean()).isTrue();
        assertThat(JSON.readTree(on.out()).path("nextAt").asLong()).isPositive();
    }

    @Test
    void wakeRunsNowOrQueuesTheTextAndRefusesAnUnknownMode() throws Exception {
        Result now = run("heartbeat", "wake", "disk almost full");
        assertThat(now.exitCode()).as(now.toString()).isZero();
        assertThat(now.out()).startsWith("heartbeat run ").endsWith(" started\n");
        String runId = now.out().substring("heartbeat run ".length(), now.out().indexOf(" started"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode last;
        do {
            Thread.sleep(20);
            last = JSON.readTree(run("heartbeat", "last", "--json").out()).path("last");
        } while (!last.path("status").asText().equals("ok") && System.nanoTime() < deadline);
        assertThat(last.path("runId").asText()).isEqualTo(runId);
        assertThat(last.path("delivered").asBoolean()).isTrue();

        Result queued = run("heartbeat", "wake", "check the backup", "--mode", "next-heartbeat", "--json");
        assertThat(queued.exitCode()).as(queued.toString()).isZero();
        assertThat(JSON.readTree(queued.out()).path("mode").asText()).isEqualTo("next-heartbeat");
        assertThat(run("heartbeat", "last").out()).contains("wake text:  queued for the next run");

        Result bad = run("heartbeat", "wake", "x", "--mode", "later");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("'later' (expected: now | next-heartbeat)");
    }
}
