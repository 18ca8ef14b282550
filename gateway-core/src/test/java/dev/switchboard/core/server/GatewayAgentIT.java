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
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayCallException;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Methods;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.SendException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent methods of a real gateway (SPEC §5.3 agent, agent.wait, chat.abort, send), its typing
 * indicator, history bound and health: real server on port 0, real SQLite, scripted channel adapters.
 */
class GatewayAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "agent-secret-1";
    private static final String CONFIG =
            """
            gateway.auth.token = "agent-secret-1"
            agent.history_limit = 4
            chat.accounts.main { token = "chat-token-1", allowed_ids = ["*"] }
            notify.accounts.ops { token = "notify-token-1", allowed_ids = ["*"] }
            """;

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final ScriptedChannelProvider notify = ScriptedChannelProvider.outboundOnly("notify");
    private final List<Frame.Event> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Gateway gateway;
    private GatewayClient client;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Starts the gateway with the echo agent ({@code slow} null) or the given slow one, and connects. */
    private void start(SlowAgentRuntime slow) {
        ChannelRegistry registry = ChannelRegistry.of(chat, notify);
        Gateway.Builder builder = TestGateways.builder(registry, CONFIG, stateDir)
                .environment(Map.of())
                .tuning(TestGateways.TUNING.withTypingInterval(Duration.ofMillis(100)));
        if (slow != null) {
            builder.agent(slow);
        }
        gateway = builder.build().start();
        client = GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.port()))
                .token(TOKEN)
                .onEvent(events::add)
                .connect();
        await().atMost(WAIT).until(() -> gateway.readiness().ready());
    }

    private static ObjectNode params(String... keyValues) {
        ObjectNode params = FrameCodec.json().createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    private List<JsonNode> eventsOf(String event, String runId) {
        return events.stream()
                .filter(e -> e.event().equals(event))
                .map(Frame.Event::payload)
                .filter(p -> p.path("runId").asText().equals(runId))
                .toList();
    }

    private static GatewayCallException callError(Runnable call) {
        try {
            call.run();
        } catch (CompletionException e) {
            if (e.getCause() instanceof GatewayCallException error) {
                return error;
            }
            throw e;
        }
        throw new AssertionError("the call succeeded");
    }

    // ---------------------------------------------------------------------------------------- agent

    @Test
    void agentAnswersAcceptedThenItsEventsThenTheFinalResultOnTheSameRequestId() throws Exception {
        start(null);
        TestSocket socket = TestSocket.connected(gateway.port(), TOKEN);
        open.add(socket);
        socket.send("{\"type\":\"req\",\"id\":\"run-1\",\"method\":\"agent\",\"params\":"
                + "{\"message\":\"hello agent world\",\"idempotencyKey\":\"two-stage\"}}");

        List<JsonNode> frames = new ArrayList<>();
        while (frames.isEmpty()
                || !frames.get(frames.size() - 1).path("type").asText().equals("res")
                || frames.size() == 1) {
            frames.add(socket.nextSkippingEvents(Events.TICK, Events.PRESENCE, Events.HEALTH, Events.CHANNEL));
        }

        JsonNode accepted = frames.get(0);
        assertThat(accepted.path("type").asText()).isEqualTo("res");
        assertThat(accepted.path("id").asText()).isEqualTo("run-1");
        assertThat(accepted.at("/payload/status").asText()).isEqualTo("accepted");
        assertThat(accepted.at("/payload/acceptedAt").asLong()).isPositive();
        assertThat(accepted.at("/payload/sessionKey").asText()).isEqualTo("agent:main");
        String runId = accepted.at("/payload/runId").asText();

        List<JsonNode> agentEvents = frames.subList(1, frames.size() - 1);
        assertThat(agentEvents).allSatisfy(event -> {
            assertThat(event.path("event").asText()).isEqualTo(Events.AGENT);
            assertThat(event.at("/payload/runId").asText()).isEqualTo(runId);
        });
        assertThat(agentEvents.stream().map(e -> e.at("/payload/seq").asInt()).toList())
                .isEqualTo(IntStream.rangeClosed(1, agentEvents.size()).boxed().toList());
        JsonNode first = agentEvents.get(0).path("payload");
        JsonNode last = agentEvents.get(agentEvents.size() - 1).path("payload");
        assertThat(first.path("stream").asText()).isEqualTo("lifecycle");
        assertThat(first.at("/data/phase").asText()).isEqualTo("start");
        assertThat(last.path("stream").asText()).isEqualTo("lifecycle");
        assertThat(last.at("/data/phase").asText()).isEqualTo("end");
        assertThat(last.at("/data/status").asText()).isEqualTo("ok");
        List<JsonNode> deltas = agentEvents.subList(1, agentEvents.size() - 1);
        assertThat(deltas)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(d.at("/payload/stream").asText()).isEqualTo("assistant"));
        assertThat(String.join(
                        "",
                        deltas.stream()
                                .map(d -> d.at("/payload/data/delta").asText())
                                .toList()))
                .isEqualTo("hello agent world");

        JsonNode done = frames.get(frames.size() - 1);
        assertThat(done.path("id").asText()).isEqualTo("run-1");
        assertThat(done.path("ok").asBoolean()).isTrue();
        assertThat(done.at("/payload/runId").asText()).isEqualTo(runId);
        assertThat(done.at("/payload/status").asText()).isEqualTo("ok");
        assertThat(done.at("/payload/result/text").asText()).isEqualTo("hello agent world");
        assertThat(done.at("/payload/meta/durationMs").isIntegralNumber()).isTrue();

        JsonNode history = client.call(Methods.CHAT_HISTORY, params("sessionKey", "agent:main"))
                .join();
        assertThat(history.path("messages").findValuesAsText("content"))
                .containsExactly("hello agent world", "hello agent world");
    }

    @Test
    void aRepeatedAgentKeyReturnsTheFirstRunWhileInFlightAndAfterItEndedAndRunsTheAgentOnce() {
        SlowAgentRuntime slow = new SlowAgentRuntime();
        start(slow);
        ObjectNode request = params("message", "only once", "idempotencyKey", "same-key");

        CompletableFuture<JsonNode> firstFinal = client.expectFinal(Methods.AGENT, request, WAIT);
        await().atMost(WAIT).until(() -> slow.requests.size() == 1);
        JsonNode repeat = client.call(Methods.AGENT, request).join();
        assertThat(repeat.path("status").asText()).isEqualTo("in_flight");
        String runId = repeat.path("runId").asText();
        CompletableFuture<JsonNode> repeatFinal = client.expectFinal(Methods.AGENT, request, WAIT);
        assertThat(firstFinal).isNotDone();

        slow.releaseAll();
        JsonNode first = firstFinal.join();
        assertThat(first.path("runId").asText()).isEqualTo(runId);
        assertThat(first.path("status").asText()).isEqualTo("ok");
        assertThat(first.at("/result/text").asText()).isEqualTo("only once");
        JsonNode second = repeatFinal.join();
        assertThat(second.path("runId").asText()).isEqualTo(runId);
        assertThat(second.at("/result/text").asText()).isEqualTo("only once");

        JsonNode after = client.call(Methods.AGENT, request).join(); // one response: the final result
        assertThat(after.path("runId").asText()).isEqualTo(runId);
        assertThat(after.path("status").asText()).isEqualTo("ok");
        assertThat(after.at("/result/text").asText()).isEqualTo("only once");

        assertThat(slow.requests).hasSize(1);
        assertThat(eventsOf(Events.AGENT, runId).stream()
                        .filter(e -> e.at("/data/phase").asText().equals("start"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void agentWaitAnswersTheFinalResultOrTimeoutAndNotFoundForAnUnknownRun() {
        SlowAgentRuntime slow = new SlowAgentRuntime();
        start(slow);
        JsonNode accepted = client.call(Methods.AGENT, params("message", "wait for me", "idempotencyKey", "w1"))
                .join();
        String runId = accepted.path("runId").asText();

        ObjectNode shortWait = params("runId", runId);
        shortWait.put("timeoutMs", 200);
        JsonNode timedOut = client.call(Methods.AGENT_WAIT, shortWait).join();
        assertThat(timedOut.path("runId").asText()).isEqualTo(runId);
        assertThat(timedOut.path("status").asText()).isEqualTo("timeout");

        ObjectNode longWait = params("runId", runId);
        longWait.put("timeoutMs", 20_000);
        CompletableFuture<JsonNode> waiting = client.call(Methods.AGENT_WAIT, longWait);
        CompletableFuture<JsonNode> alsoWaiting = client.call(Methods.AGENT_WAIT, longWait);
        await().atMost(WAIT).until(() -> slow.requests.size() == 1);
        assertThat(waiting).isNotDone();
        slow.releaseAll();
        assertThat(waiting.join().path("status").asText()).isEqualTo("ok");
        assertThat(waiting.join().at("/result/text").asText()).isEqualTo("wait for me");
        assertThat(alsoWaiting.join().at("/result/text").asText()).isEqualTo("wait for me");

        JsonNode afterwards =
                client.call(Methods.AGENT_WAIT, params("runId", runId)).join();
        assertThat(afterwards.path("status").asText()).isEqualTo("ok");
        assertThat(afterwards.at("/result/text").asText()).isEqualTo("wait for me");

        GatewayCallException unknown = callError(() ->
                client.call(Methods.AGENT_WAIT, params("runId", "no-such-run")).join());
        assertThat(unknown.errorShape().code()).isEqualTo("NOT_FOUND");
        assertThat(unknown.errorShape().message()).contains("no-such-run");
    }

    @Test
    void agentWithDeliverSendsTheReplyThroughTheOutboxToTheConversation() {
        start(null);
        ObjectNode request = params("message", "status report", "idempotencyKey", "d1", "channel", "chat", "to", "42");
        request.put("deliver", true);

        JsonNode done = client.expectFinal(Methods.AGENT, request, WAIT).join();
        assertThat(done.path("status").asText()).isEqualTo("ok");
        assertThat(done.path("sessionKey").asText()).isEqualTo("chat:main:42");
        await().atMost(WAIT).until(() -> !chat.sent.isEmpty());
        OutboundMessage sent = chat.sent.get(0);
        assertThat(sent.conversationId()).isEqualTo("42");
        assertThat(sent.text()).isEqualTo("status report");

        ObjectNode unknown = params("message", "x", "idempotencyKey", "d2", "channel", "fax", "to", "1");
        unknown.put("deliver", true);
        GatewayCallException error =
                callError(() -> client.call(Methods.AGENT, unknown).join());
        assertThat(error.errorShape().code()).isEqualTo("NOT_FOUND");
        assertThat(error.errorShape().message()).contains("'fax'", "chat.main", "notify.ops");
    }

    // ------------------------------------------------------------------------------------ chat.abort

    @Test
    void chatAbortStopsTheRunningAndQueuedRunsOfASessionAndStoresNothing() {
        SlowAgentRuntime slow = new SlowAgentRuntime();
        start(slow);
        String running = client.call(
                        Methods.CHAT_SEND, params("sessionKey", "s1", "message", "abort me", "idempotencyKey", "a1"))
                .join()
                .path("runId")
                .asText();
        String queued = client.call(
                        Methods.CHAT_SEND, params("sessionKey", "s1", "message", "me too", "idempotencyKey", "a2"))
                .join()
                .path("runId")
                .asText();
        await().atMost(WAIT).until(() -> slow.requests.size() == 1);

        JsonNode answer =
                client.call(Methods.CHAT_ABORT, params("sessionKey", "s1")).join();

        assertThat(answer.path("aborted").asBoolean()).isTrue();
        assertThat(answer.path("runIds")).extracting(JsonNode::asText).containsExactlyInAnyOrder(running, queued);
        await().atMost(WAIT)
                .until(() -> eventsOf(Events.CHAT, running).stream()
                                .anyMatch(e -> e.path("state").asText().equals("aborted"))
                        && eventsOf(Events.CHAT, queued).stream()
                                .anyMatch(e -> e.path("state").asText().equals("aborted")));
        assertThat(slow.aborted).hasValue(1);
        assertThat(client.call(Methods.AGENT_WAIT, params("runId", running))
                        .join()
                        .path("status")
                        .asText())
                .isEqualTo("aborted");

        slow.releaseAll(); // anything still running would now store its turns
        String after = client.call(
                        Methods.CHAT_SEND, params("sessionKey", "s1", "message", "after", "idempotencyKey", "a3"))
                .join()
                .path("runId")
                .asText();
        await().atMost(WAIT).until(() -> eventsOf(Events.CHAT, after).stream()
                .anyMatch(e -> e.path("state").asText().equals("final")));
        JsonNode history =
                client.call(Methods.CHAT_HISTORY, params("sessionKey", "s1")).join();
        assertThat(history.path("messages").findValuesAsText("content")).containsExactly("after", "after");
        assertThat(slow.requests).extracting(r -> r.text()).containsExactly("abort me", "after");

        JsonNode nothing =
                client.call(Methods.CHAT_ABORT, params("sessionKey", "s1")).join();
        assertThat(nothing.path("aborted").asBoolean()).isFalse();
        assertThat(nothing.path("runIds")).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ send

    @Test
    void sendDeliversThroughTheOutboxToASendOnlyChannelAfterARetryableFailureAndOnlyOnce() {
        notify.sending((message, attempt) ->
                attempt == 1 ? SendException.rateLimited("429 too many requests", Duration.ofMillis(50)) : null);
        start(null);
        ObjectNode request =
                params("channel", "notify", "to", "room-7", "message", "deploy finished", "idempotencyKey", "n1");

        JsonNode queued = client.call(Methods.SEND, request).join();
        assertThat(queued.path("status").asText()).isEqualTo("queued");
        assertThat(queued.path("accountId").asText()).isEqualTo("ops");
        long id = queued.path("id").asLong();
        await().atMost(WAIT).until(() -> notify.sent.size() == 1);
        assertThat(notify.sent.get(0).conversationId()).isEqualTo("room-7");
        assertThat(notify.sent.get(0).text()).isEqualTo("deploy finished");
        assertThat(notify.sendAttempts(notify.sent.get(0).idempotencyKey())).isEqualTo(2);

        JsonNode repeat = client.call(Methods.SEND, request).join();
        assertThat(repeat.path("id").asLong()).isEqualTo(id);
        assertThat(repeat.path("status").asText()).isEqualTo("queued");
        // a later message to the same conversation is delivered after any earlier row (per-chat order)
        client.call(
                        Methods.SEND,
                        params("channel", "notify", "to", "room-7", "message", "next", "idempotencyKey", "n2"))
                .join();
        await().atMost(WAIT).until(() -> notify.sent.size() >= 2);
        assertThat(notify.sent).extracting(OutboundMessage::text).containsExactly("deploy finished", "next");
    }

    @Test
    void sendToAChannelOrAccountThatDoesNotRunIsNotFoundNamingWhatRuns() {
        start(null);
        GatewayCallException channel = callError(() -> client.call(
                        Methods.SEND, params("channel", "fax", "to", "1", "message", "x", "idempotencyKey", "k"))
                .join());
        assertThat(channel.errorShape().code()).isEqualTo("NOT_FOUND");
        assertThat(channel.errorShape().message())
                .isEqualTo("channel 'fax' is not running in this gateway (running: chat.main, notify.ops)");

        GatewayCallException account = callError(() -> client.call(
                        Methods.SEND,
                        params(
                                "channel",
                                "notify",
                                "accountId",
                                "dev",
                                "to",
                                "1",
                                "message",
                                "x",
                                "idempotencyKey",
                                "k"))
                .join());
        assertThat(account.errorShape().code()).isEqualTo("NOT_FOUND");
        assertThat(account.errorShape().message()).contains("account 'dev' of channel 'notify'", "notify.ops");
        assertThat(notify.sent).isEmpty();
    }

    // ------------------------------------------------------------------------------ reply loop upkeep

    @Test
    void theTypingIndicatorShowsWhileATurnRunsAndStopsOnceTheReplyIsQueued() {
        SlowAgentRuntime slow = new SlowAgentRuntime();
        start(slow);
        chat.adapters("main")
                .get(0)
                .context
                .inbound()
                .accept(new InboundMessage("chat", "main", "c-9", Optional.empty(), "u1", "m1", "hi", Instant.now()));

        await().atMost(WAIT).until(() -> chat.typing.size() >= 3);
        assertThat(chat.typing).containsOnly("c-9");
        slow.releaseAll();
        await().atMost(WAIT).until(() -> chat.sent.size() == 1);
        int shown = chat.typing.size();
        // a turn held in c-10 shows its indicator on the same single timer thread at the same rate: by its
        // third tick, a c-9 timer still running would have ticked several times
        slow.hold();
        chat.adapters("main")
                .get(0)
                .context
                .inbound()
                .accept(new InboundMessage("chat", "main", "c-10", Optional.empty(), "u1", "m2", "hi", Instant.now()));
        await().atMost(WAIT).until(() -> Collections.frequency(chat.typing, "c-10") >= 3);
        assertThat(Collections.frequency(chat.typing, "c-9"))
                .isLessThanOrEqualTo(shown + 1); // one may have been running
        slow.releaseAll();
    }

    @Test
    void historyIsTrimmedToTheHistoryLimitAsTurnsAreAppended() {
        start(null);
        for (String text : List.of("one", "two", "three")) {
            client.expectFinal(Methods.AGENT, params("message", text, "idempotencyKey", text, "sessionKey", "h"), WAIT)
                    .join();
        }
        JsonNode history =
                client.call(Methods.CHAT_HISTORY, params("sessionKey", "h")).join();
        assertThat(history.path("messages").findValuesAsText("content"))
                .containsExactly("two", "two", "three", "three");
    }

    @Test
    void healthShowsTheStoreAndTheAgentProvider() {
        start(null);
        JsonNode health = client.call(Methods.HEALTH).join();
        assertThat(health.at("/store/ok").asBoolean()).isTrue();
        assertThat(health.at("/store/latencyMs").isIntegralNumber()).isTrue();
        assertThat(health.at("/agent/provider").asText()).isEqualTo("echo");
        assertThat(health.at("/agent/probe").isMissingNode()).isTrue();

        ObjectNode probe = FrameCodec.json().createObjectNode().put("probe", true);
        JsonNode probed = client.call(Methods.HEALTH, probe).join();
        assertThat(probed.at("/agent/probe/ok").asBoolean()).isTrue();
        assertThat(probed.at("/store/ok").asBoolean()).isTrue();
    }
}
