package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.testing.SlowAgentRuntime;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.protocol.AccountState;
import dev.switchboard.protocol.AgentAccepted;
import dev.switchboard.protocol.AgentEvent;
import dev.switchboard.protocol.AgentResult;
import dev.switchboard.protocol.ChannelStatus;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.ChatEvent;
import dev.switchboard.protocol.ChatSendAnswer;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Health;
import dev.switchboard.protocol.HelloOk;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.RunStatus;
import dev.switchboard.protocol.Shutdown;
import dev.switchboard.protocol.Status;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real gateway sends reads into the protocol's payload records and writes back unchanged:
 * the records carry every field core sends, and leave out or write {@code null} exactly where core
 * does (the CLI and other clients read the wire through them).
 */
class PayloadRecordsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "records-secret-1";
    private static final String CONFIG =
            """
            gateway.auth.token = "records-secret-1"
            chat.accounts.main { token = "chat-token-1", allowed_ids = ["*"] }
            """;

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final SlowAgentRuntime agent = new SlowAgentRuntime();
    private final List<Frame.Event> events = new CopyOnWriteArrayList<>();
    private Gateway gateway;
    private GatewayClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void everyPayloadTheGatewaySendsRoundTripsThroughItsRecord() throws Exception {
        gateway = TestGateways.builder(ChannelRegistry.of(chat), CONFIG, stateDir)
                .environment(Map.of())
                .agent(agent)
                .build()
                .start();
        await().atMost(WAIT).until(() -> gateway.readiness().ready());
        client = GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.port()))
                .token(TOKEN)
                .onEvent(events::add)
                .connect();

        HelloOk hello = roundTrips(client.hello(), HelloOk.class);
        assertThat(hello.snapshot().health()).isPresent();
        assertThat(hello.snapshot().presence()).singleElement().satisfies(entry -> assertThat(entry.ip())
                .contains("127.0.0.1"));
        roundTrips(call(Methods.HEALTH, params()), Health.class);
        Health probed = roundTrips(call(Methods.HEALTH, params().put("probe", true)), Health.class);
        assertThat(probed.channels()).singleElement().satisfies(c -> assertThat(c.probe())
                .isPresent());
        Status status = roundTrips(call(Methods.STATUS, params()), Status.class);
        assertThat(status.session()).isEmpty();
        assertThat(status.port()).hasValue(gateway.port());
        roundTrips(call(Methods.CHANNELS_STATUS, params()), ChannelsStatus.class);
        roundTrips(call(Methods.CHANNELS_STATUS, params().put("probe", true)), ChannelsStatus.class);

        // a state change: the channel event, then the new health
        chat.adapters("main").get(0).context.status().degraded("platform is slow");
        ChannelStatus degraded = roundTrips(event(Events.CHANNEL, "state", "degraded"), ChannelStatus.class);
        assertThat(degraded.state()).isEqualTo(AccountState.DEGRADED);
        assertThat(degraded.lastError()).contains("platform is slow");
        roundTrips(event(Events.HEALTH, "ok", "true"), Health.class);

        // chat.send: started, deltas, final
        ChatSendAnswer started = roundTrips(
                call(
                        Methods.CHAT_SEND,
                        params().put("sessionKey", "t1")
                                .put("message", "hi there")
                                .put("idempotencyKey", "k1")),
                ChatSendAnswer.class);
        assertThat(started.status()).isEqualTo(RunStatus.STARTED);
        await().atMost(WAIT).until(() -> agent.requests.size() == 1);
        agent.releaseAll();
        roundTrips(event(Events.CHAT, "state", "delta"), ChatEvent.class);
        roundTrips(event(Events.CHAT, "state", "final"), ChatEvent.class);

        // agent: accepted, agent.wait timing out, events, the final answer
        agent.hold();
        AgentAccepted accepted = roundTrips(
                call(Methods.AGENT, params().put("message", "hello agent").put("idempotencyKey", "k2")),
                AgentAccepted.class);
        assertThat(accepted.status()).isEqualTo(RunStatus.ACCEPTED);
        String runId = accepted.runId();
        AgentResult timedOut = roundTrips(
                call(Methods.AGENT_WAIT, params().put("runId", runId).put("timeoutMs", 0)), AgentResult.class);
        assertThat(timedOut.status()).isEqualTo(RunStatus.TIMEOUT);
        await().atMost(WAIT).until(() -> agent.requests.size() == 2);
        agent.releaseAll();
        AgentResult ended = roundTrips(call(Methods.AGENT_WAIT, params().put("runId", runId)), AgentResult.class);
        assertThat(ended.status()).isEqualTo(RunStatus.OK);
        roundTrips(event(Events.AGENT, "stream", "assistant"), AgentEvent.class);
        for (JsonNode lifecycle : payloads(Events.AGENT, "stream", "lifecycle")) {
            roundTrips(lifecycle, AgentEvent.class);
        }

        // an aborted run, and a repeat of its key after it ended
        agent.hold();
        call(
                Methods.CHAT_SEND,
                params().put("sessionKey", "t2").put("message", "stop me").put("idempotencyKey", "k3"));
        await().atMost(WAIT).until(() -> agent.requests.size() == 3);
        call(Methods.CHAT_ABORT, params().put("sessionKey", "t2"));
        roundTrips(event(Events.CHAT, "state", "aborted"), ChatEvent.class);
        ChatSendAnswer repeat = roundTrips(
                call(
                        Methods.CHAT_SEND,
                        params().put("sessionKey", "t2")
                                .put("message", "stop me")
                                .put("idempotencyKey", "k3")),
                ChatSendAnswer.class);
        assertThat(repeat.status()).isEqualTo(RunStatus.ABORTED);

        gateway.close();
        roundTrips(event(Events.SHUTDOWN, "reason", "closed"), Shutdown.class);
    }

    /** {@code payload} read as {@code type}, checked to write back as the same JSON. */
    private static <T> T roundTrips(JsonNode payload, Class<T> type) throws Exception {
        T read = Payloads.read(payload, type);
        JsonNode written = FrameCodec.json().readTree(FrameCodec.json().writeValueAsString(read));
        assertThat(written).as(type.getSimpleName() + " written back").isEqualTo(payload);
        return read;
    }

    private JsonNode call(String method, ObjectNode params) {
        return client.call(method, params).join();
    }

    /** The first payload of {@code event} whose {@code field} is {@code value}, waiting for it. */
    private JsonNode event(String event, String field, String value) {
        await().atMost(WAIT).until(() -> !payloads(event, field, value).isEmpty());
        return payloads(event, field, value).get(0);
    }

    private List<JsonNode> payloads(String event, String field, String value) {
        return events.stream()
                .filter(e -> e.event().equals(event))
                .map(Frame.Event::payload)
                .filter(p -> p.path(field).asText().equals(value))
                .toList();
    }

    private static ObjectNode params() {
        return FrameCodec.json().createObjectNode();
    }
}
