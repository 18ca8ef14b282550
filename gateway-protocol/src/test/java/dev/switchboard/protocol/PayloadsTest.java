package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private static JsonNode json(String text) throws Exception {
        return FrameCodec.json().readTree(text);
    }

    @Test
    void anOlderClientReadsANewerGatewayByIgnoringFieldsItDoesNotKnow() throws Exception {
        JsonNode newer = json(
                """
                {"channel":"telegram","account":"work","state":"connected","lastError":null,
                 "since":"2026-01-01T00:00:09Z","lastInboundAt":null,"lastOutboundAt":null,
                 "restarts":0,"inbound":1,"dropped":0,"outbound":1,"failed":0,
                 "queueDepth":3,"probe":{"ok":true,"detail":"bot @ops_bot","latencyMs":40}}
                """);

        ChannelStatus status = Payloads.read(newer, ChannelStatus.class);

        assertThat(status.state()).isEqualTo(AccountState.CONNECTED);
        assertThat(status.since()).isEqualTo(Instant.parse("2026-01-01T00:00:09Z"));
        assertThat(status.lastInboundAt()).isEmpty();
        assertThat(status.probe()).contains(new Probe(true, "bot @ops_bot"));
    }

    @Test
    void absentOptionalsAreWrittenAsTheWireHasThemNullOrLeftOut() {
        Health health = new Health(
                true,
                1,
                2,
                "0.1.0",
                "i-1",
                Optional.empty(),
                Optional.empty(),
                List.of(new Health.Channel(
                        "telegram",
                        "work",
                        AccountState.STOPPED,
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        Optional.empty())),
                Optional.empty(),
                Optional.empty());

        ObjectNode json = Payloads.toJson(health);

        assertThat(json.has("store")).isFalse();
        assertThat(json.has("agent")).isFalse();
        assertThat(json.has("server")).isFalse();
        JsonNode channel = json.path("channels").path(0);
        assertThat(channel.get("lastError").isNull())
                .as("lastError is null, not left out")
                .isTrue();
        assertThat(channel.has("probe")).isFalse();
        assertThat(channel.get("state").asText()).isEqualTo("stopped");
    }

    @Test
    void healthCarriesTheServerCountersWhenTheGatewayReportsThem() throws Exception {
        JsonNode payload = json(
                """
                {"ok":true,"ts":1,"uptimeMs":2,"version":"0.1.0","instanceId":"i-1","channels":[],
                 "server":{"connections":3,"refusedConnections":1,"authFailures":7,"lockouts":1}}
                """);

        Health health = Payloads.read(payload, Health.class);

        assertThat(health.server()).contains(new Health.ServerCounters(3, 1, 7, 1));
        assertThat(Payloads.toJson(health).get("server"))
                .hasToString(payload.get("server").toString());
    }

    @Test
    void aMissingListIsEmptyAndAMissingOptionalAbsent() throws Exception {
        Status status = Payloads.read(
                json(
                        """
                        {"instanceId":"i-1","version":"0.1.0","pid":7,"mode":"gateway","uptimeMs":5,
                         "startedAt":"2026-01-01T00:00:00Z","stateDir":"/s","bind":"127.0.0.1","authMode":"none",
                         "connections":0}
                        """),
                Status.class);

        assertThat(status.channels()).isEmpty();
        assertThat(status.session()).isEmpty();
        assertThat(status.configPath()).isEmpty();
        assertThat(status.port()).isEmpty();
    }

    @Test
    void anUnreadablePayloadIsOneLineNamingTheFieldAndWhatWasExpected() throws Exception {
        assertThatThrownBy(() -> Payloads.read(
                        json("{\"channels\":[{\"channel\":\"t\",\"account\":\"a\",\"state\":\"asleep\"}]}"),
                        Health.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unreadable Health: channels[0].state: account state 'asleep' (expected: "
                        + "starting, connected, reconnecting, degraded, stopped, failed)")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(
                        () -> Payloads.read(json("{\"reason\":\"x\",\"restartExpectedMs\":\"soon\"}"), Shutdown.class))
                .hasMessageStartingWith("unreadable Shutdown: restartExpectedMs: ")
                .hasMessageContaining("\"soon\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> Payloads.read(json("{\"restartExpectedMs\":5}"), Shutdown.class))
                .hasMessage("unreadable Shutdown: reason is null");
    }

    @Test
    void theEventsAndAnswersOfARunAreBuiltAsTheWireHasThem() {
        assertThat(Payloads.toJson(ChatEvent.aborted("r-1", "webchat:cli")))
                .hasToString("{\"runId\":\"r-1\",\"sessionKey\":\"webchat:cli\",\"state\":\"aborted\"}");
        assertThat(Payloads.toJson(
                                new AgentEvent("r-1", 2, AgentEvent.Stream.ASSISTANT, 9, AgentEvent.Data.delta("hi")))
                        .toString())
                .isEqualTo(
                        "{\"runId\":\"r-1\",\"seq\":2,\"stream\":\"assistant\",\"ts\":9,\"data\":{\"delta\":\"hi\"}}");
        assertThat(Payloads.toJson(AgentResult.timeout("r-1")))
                .hasToString("{\"runId\":\"r-1\",\"status\":\"timeout\"}");
        assertThat(Payloads.toJson(new Shutdown("stop", OptionalLong.empty()))).hasToString("{\"reason\":\"stop\"}");
    }

    @Test
    void runStatusesKnowWhichAcknowledgeARunThatGoesOn() {
        assertThat(List.of(RunStatus.values()).stream()
                        .filter(RunStatus::acknowledges)
                        .map(RunStatus::wireName))
                .containsExactly("started", "accepted", "in_flight");
        assertThat(RunStatus.find("in_flight")).contains(RunStatus.IN_FLIGHT);
        assertThat(RunStatus.find("later")).isEmpty();
    }
}
