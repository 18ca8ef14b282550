package dev.switchboard.protocol;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayClientTest {
    private final FakeGatewayServer gateway = new FakeGatewayServer();
    private final List<GatewayClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(GatewayClient::close);
        gateway.close();
    }

    private GatewayClient.Builder client() {
        return GatewayClient.builder(gateway.url()).token(FakeGatewayServer.TOKEN);
    }

    private GatewayClient connect(GatewayClient.Builder builder) {
        GatewayClient client = builder.build();
        clients.add(client);
        return client.connect();
    }

    private static ObjectNode params() {
        return FrameCodec.json().createObjectNode();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        assertThatThrownBy(() -> future.get(10, SECONDS)).isInstanceOf(ExecutionException.class);
        return future.handle((value, error) -> error).join();
    }

    @Test
    void connectsThroughChallengeAndConnectAndExposesHelloOk() throws Exception {
        GatewayClient client = connect(client().clientInfo("switchboard-cli", "0.1.0", "linux", "cli"));

        assertThat(client.state()).isEqualTo(GatewayClient.State.CONNECTED);
        JsonNode hello = client.hello();
        assertThat(hello.path("type").asText()).isEqualTo("hello-ok");
        assertThat(hello.path("server").path("connId").asText()).isEqualTo("conn-1");
        ConnectParams sent = gateway.session(1).connected.get(5, SECONDS);
        assertThat(sent.minProtocol()).isEqualTo(1);
        assertThat(sent.maxProtocol()).isEqualTo(1);
        assertThat(sent.role()).isEqualTo("operator");
        assertThat(sent.scopes()).containsExactly("operator.read", "operator.write", "operator.admin");
        assertThat(sent.client()).isEqualTo(new ConnectParams.ClientInfo("switchboard-cli", "0.1.0", "linux", "cli"));
        assertThat(client.call(Methods.HEALTH).get(5, SECONDS).path("ok").asBoolean())
                .isTrue();
    }

    @Test
    void wrongTokenFailsWithTheGatewaysUnauthorizedMessage() {
        GatewayClient.Builder builder = GatewayClient.builder(gateway.url()).token("wrong-token-123");

        assertThatThrownBy(() -> connect(builder)).isInstanceOfSatisfying(GatewayClientException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED);
            assertThat(e.getMessage()).isEqualTo(FakeGatewayServer.UNAUTHORIZED_MESSAGE);
            assertThat(e.error().orElseThrow().details().path("reason").asText())
                    .isEqualTo("token_mismatch");
            assertThat(e.getMessage()).doesNotContain("wrong-token-123");
        });
        assertThat(clients.get(0).state()).isEqualTo(GatewayClient.State.CLOSED);
    }

    @Test
    void protocolMismatchIsReportedWithTheGatewaysMessage() {
        gateway.protocol = 2;

        assertThatThrownBy(() -> connect(client())).isInstanceOfSatisfying(GatewayClientException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.PROTOCOL_MISMATCH);
            assertThat(e.getMessage()).isEqualTo("protocol mismatch: client speaks 1..1, gateway speaks 2");
            assertThat(e.error()
                            .orElseThrow()
                            .details()
                            .path("expectedProtocol")
                            .asInt())
                    .isEqualTo(2);
        });
    }

    @Test
    void closeBeforeHelloNamesTheCloseCodeAndReason() {
        gateway.closeOnConnect = CloseCodes.POLICY;

        assertThatThrownBy(() -> connect(client())).isInstanceOfSatisfying(GatewayClientException.class, e -> {
            assertThat(e.code()).isEqualTo(GatewayClientException.HANDSHAKE_FAILED);
            assertThat(e.getMessage())
                    .isEqualTo("gateway at " + gateway.url()
                            + " closed the connection during the handshake (close 1008 handshake timeout)");
        });
    }

    @Test
    void unansweredConnectFailsWithinTheConnectTimeout() {
        gateway.answerConnect = false;
        long start = System.nanoTime();

        assertThatThrownBy(() -> connect(client().connectTimeout(Duration.ofMillis(300))))
                .isInstanceOfSatisfying(GatewayClientException.class, e -> {
                    assertThat(e.code()).isEqualTo(GatewayClientException.TIMEOUT);
                    assertThat(e.getMessage())
                            .isEqualTo("gateway at " + gateway.url()
                                    + " did not finish the handshake within 300ms (no answer to connect)");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void unreachableGatewayFailsFastWithinTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        URI url = URI.create("ws://127.0.0.1:" + port);
        long start = System.nanoTime();

        assertThatThrownBy(() -> connect(GatewayClient.builder(url).token("t")))
                .isInstanceOfSatisfying(GatewayClientException.class, e -> {
                    assertThat(e.code()).isEqualTo(GatewayClientException.UNREACHABLE);
                    assertThat(e.getMessage())
                            .isEqualTo("gateway unreachable at ws://127.0.0.1:" + port + ": connection refused");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void concurrentCallsAreCorrelatedByIdWhenAnsweredOutOfOrder() throws Exception {
        List<Frame.Request> held = new CopyOnWriteArrayList<>();
        CountDownLatch allArrived = new CountDownLatch(20);
        gateway.onRequest = (session, request) -> {
            held.add(request);
            allArrived.countDown();
            if (held.size() == 20) {
                List<Frame.Request> reversed = new ArrayList<>(held);
                Collections.reverse(reversed);
                reversed.forEach(r -> session.respond(r.id(), r.params()));
            }
        };
        GatewayClient client = connect(client());

        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(client.call(Methods.STATUS, params().put("n", i)));
        }

        for (int i = 0; i < 20; i++) {
            assertThat(calls.get(i).get(5, SECONDS).path("n").asInt()).isEqualTo(i);
        }
        assertThat(held.stream().map(Frame.Request::id).distinct()).hasSize(20);
    }

    @Test
    void errorResponseFailsTheCallWithTheErrorShape() {
        gateway.onRequest = (session, request) -> session.send(Frame.Response.error(
                request.id(),
                new ErrorShape(
                        ErrorCodes.FORBIDDEN,
                        "missing scope: operator.admin",
                        params().put("missingScope", Scopes.ADMIN),
                        false,
                        0)));
        GatewayClient client = connect(client());

        Throwable error = failure(client.call(Methods.GATEWAY_STOP));

        assertThat(error).isInstanceOfSatisfying(GatewayCallException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.FORBIDDEN);
            assertThat(e.method()).isEqualTo(Methods.GATEWAY_STOP);
            assertThat(e.getMessage()).isEqualTo("missing scope: operator.admin");
            assertThat(e.errorShape().details().path("missingScope").asText()).isEqualTo(Scopes.ADMIN);
        });
    }

    @Test
    void unansweredCallTimesOutNamingTheMethod() {
        gateway.onRequest = (session, request) -> {};
        GatewayClient client = connect(client().requestTimeout(Duration.ofMillis(200)));

        Throwable error = failure(client.call(Methods.CHANNELS_STATUS));

        assertThat(error).isInstanceOfSatisfying(GatewayClientException.class, e -> {
            assertThat(e.code()).isEqualTo(GatewayClientException.TIMEOUT);
            assertThat(e.getMessage())
                    .isEqualTo("channels.status: no response from gateway at " + gateway.url() + " within 200ms");
        });
        // the socket stays usable
        gateway.onRequest = FakeGatewayServer::defaultAnswer;
        assertThat(client.call(Methods.HEALTH).join().path("ok").asBoolean()).isTrue();
    }

    @Test
    void expectFinalSkipsTheAcceptedAckAndCompletesWithTheSecondResponse() throws Exception {
        gateway.onRequest = (session, request) -> {
            session.respond(request.id(), params().put("runId", "run-1").put("status", "accepted"));
            session.event("agent", params().put("runId", "run-1"));
            session.respond(
                    request.id(),
                    params().put("runId", "run-1").put("status", "ok").set("result", params().put("text", "hi")));
        };
        GatewayClient client = connect(client());

        JsonNode result =
                client.expectFinal("agent", params().put("message", "hello")).get(5, SECONDS);
        JsonNode ack = client.call("agent", params().put("message", "hello")).get(5, SECONDS);

        assertThat(result.path("status").asText()).isEqualTo("ok");
        assertThat(result.path("result").path("text").asText()).isEqualTo("hi");
        assertThat(ack.path("status").asText()).isEqualTo("accepted");
    }

    @Test
    void expectFinalSkipsAnInFlightAnswerToARepeatedKeyAndCompletesWithTheFirstRunsResult() throws Exception {
        gateway.onRequest = (session, request) -> {
            session.respond(request.id(), params().put("runId", "run-1").put("status", "in_flight"));
            session.respond(
                    request.id(),
                    params().put("runId", "run-1").put("status", "ok").set("result", params().put("text", "first")));
        };
        GatewayClient client = connect(client());

        JsonNode result =
                client.expectFinal("agent", params().put("idempotencyKey", "k")).get(5, SECONDS);

        assertThat(result.path("status").asText()).isEqualTo("ok");
        assertThat(result.path("result").path("text").asText()).isEqualTo("first");
    }

    @Test
    void typedCallsReadThePayloadAsItsRecord() throws Exception {
        gateway.onRequest = (session, request) -> {
            switch (request.method()) {
                case Methods.HEALTH -> session.respond(
                        request.id(), Golden.json("res-ok-health.json").path("payload"));
                case Methods.AGENT -> {
                    session.respond(
                            request.id(), Golden.json("res-agent-accepted.json").path("payload"));
                    session.event(
                            Events.AGENT,
                            Golden.json("event-agent-assistant.json").path("payload"));
                    session.respond(
                            request.id(), Golden.json("res-agent-final.json").path("payload"));
                }
                default -> FakeGatewayServer.defaultAnswer(session, request);
            }
        };
        List<Frame.Event> events = new CopyOnWriteArrayList<>();
        GatewayClient client = connect(client().onEvent(events::add));

        Health health = client.call(Methods.HEALTH, null, Health.class).get(5, SECONDS);
        AgentResult result = client.expectFinal(Methods.AGENT, params(), Duration.ofSeconds(5), AgentResult.class)
                .get(5, SECONDS);

        assertThat(client.helloOk().server().connId()).isEqualTo("conn-1");
        assertThat(client.helloOk().policy().maxPayload()).isEqualTo(Protocol.DEFAULT_MAX_PAYLOAD_BYTES);
        assertThat(health.channels()).singleElement().satisfies(channel -> {
            assertThat(channel.state()).isEqualTo(AccountState.CONNECTED);
            assertThat(channel.lastError()).isEmpty();
        });
        assertThat(result.status()).isEqualTo(RunStatus.OK);
        assertThat(result.result().orElseThrow().text()).isEqualTo("hello agent");
        await().until(() -> !events.isEmpty());
        AgentEvent event = events.get(0).payload(AgentEvent.class);
        assertThat(event.stream()).isEqualTo(AgentEvent.Stream.ASSISTANT);
        assertThat(event.data().delta()).contains("hello ");
    }

    @Test
    void aTypedCallFailsWithBadPayloadWhenTheAnswerCannotBeRead() {
        gateway.onRequest = (session, request) ->
                session.respond(request.id(), params().put("ok", true).put("instanceId", "i-1"));
        GatewayClient client = connect(client());

        assertThat(failure(client.call(Methods.HEALTH, null, Health.class)))
                .isInstanceOfSatisfying(GatewayClientException.class, e -> assertThat(e.code())
                        .isEqualTo(GatewayClientException.BAD_PAYLOAD))
                .hasMessage("health: cannot read the answer of gateway at " + gateway.url()
                        + " (unreadable Health: version is null)");
    }

    @Test
    void expectFinalFailsWhenTheFinalResponseIsAnError() {
        gateway.onRequest = (session, request) -> {
            session.respond(request.id(), params().put("runId", "run-2").put("status", "accepted"));
            session.send(Frame.Response.error(
                    request.id(), ErrorShape.of(ErrorCodes.AGENT_TIMEOUT, "agent run run-2 timed out after 600s")));
        };
        GatewayClient client = connect(client());

        assertThat(failure(client.expectFinal("agent", params())))
                .isInstanceOf(GatewayCallException.class)
                .hasMessage("agent run run-2 timed out after 600s");
    }

    @Test
    void eventsReachListenersInOrderAndSeqGapsAreReported() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> gaps = new CopyOnWriteArrayList<>();
        GatewayClient client = connect(client().onEvent(
                        event -> seen.add(event.event() + "#" + event.seq().getAsLong()))
                .onGap((expected, got) -> gaps.add(expected + "->" + got)));
        FakeGatewayServer.Session session = gateway.session(1);

        session.event(Events.PRESENCE, params());
        session.event(Events.HEALTH, params());
        session.event(Events.CHANNEL, params(), 5);
        session.event(Events.SHUTDOWN, params());

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 4);
        assertThat(seen).containsExactly("presence#1", "health#2", "channel#5", "shutdown#6");
        assertThat(gaps).containsExactly("3->5");
        assertThat(client.lastSeq()).isEqualTo(6);
    }

    @Test
    void aBlockedListenerDoesNotHoldUpResponses() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        GatewayClient client = connect(client().onEvent(event -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        gateway.session(1).event(Events.PRESENCE, params());
        assertThat(blocked.await(5, SECONDS)).isTrue();

        assertThat(client.call(Methods.HEALTH).get(5, SECONDS).path("ok").asBoolean())
                .isTrue();
        release.countDown();
    }

    @Test
    void tickWatchdogClosesWith4000WhenTheGatewayStopsTicking() throws Exception {
        gateway.tickIntervalMs = 100;
        List<GatewayClient.State> states = new CopyOnWriteArrayList<>();
        AtomicInteger ticks = new AtomicInteger();
        GatewayClient client = connect(client().onStateChange(states::add).onEvent(event -> {
            if (event.event().equals(Events.TICK)) {
                ticks.incrementAndGet();
            }
        }));
        FakeGatewayServer.Session session = gateway.session(1);
        // ticks keep the connection alive: four of them read span twice the watchdog's two intervals
        await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 4);
        assertThat(client.state()).isEqualTo(GatewayClient.State.CONNECTED);
        assertThat(session.clientClose).isNotDone();

        session.stopTicking();

        assertThat(session.clientClose.get(5, SECONDS)).isEqualTo("4000 tick timeout");
        await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == GatewayClient.State.DISCONNECTED);
        assertThat(failure(client.call(Methods.HEALTH)))
                .isInstanceOf(GatewayClientException.class)
                .hasMessageContaining("health: not connected to gateway at " + gateway.url());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(states)
                .containsExactly(
                        GatewayClient.State.CONNECTING,
                        GatewayClient.State.CONNECTED,
                        GatewayClient.State.DISCONNECTED));
    }

    @Test
    void reconnectsAndRerunsTheHandshakeAfterTheGatewayDropsTheConnection() throws Exception {
        List<GatewayClient.State> states = new CopyOnWriteArrayList<>();
        GatewayClient client = connect(client().reconnect(true)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .onStateChange(states::add));
        gateway.session(1).event(Events.PRESENCE, params());
        await().atMost(Duration.ofSeconds(5)).until(() -> client.lastSeq() == 1);

        gateway.session(1).drop();

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.sessions().size() == 2);
        gateway.session(2).connected.get(5, SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == GatewayClient.State.CONNECTED);
        assertThat(client.hello().path("server").path("connId").asText()).isEqualTo("conn-2");
        assertThat(client.lastSeq()).as("seq counts per connection").isZero();
        assertThat(client.call(Methods.HEALTH).get(5, SECONDS).path("ok").asBoolean())
                .isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(states)
                .containsExactly(
                        GatewayClient.State.CONNECTING,
                        GatewayClient.State.CONNECTED,
                        GatewayClient.State.RECONNECTING,
                        GatewayClient.State.CONNECTED));
    }

    @Test
    void reconnectKeepsTryingWhileTheGatewayIsDownAndCallsFailFastMeanwhile() throws Exception {
        gateway.tickIntervalMs = 100;
        GatewayClient client =
                connect(client().reconnect(true).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(100)));
        gateway.answerConnect = false;
        gateway.session(1).close(CloseCodes.RESTART, "service restart");

        await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == GatewayClient.State.RECONNECTING);
        assertThat(failure(client.call(Methods.HEALTH))).hasMessageContaining("not connected");

        gateway.answerConnect = true;
        await().atMost(Duration.ofSeconds(15)).until(() -> client.state() == GatewayClient.State.CONNECTED);
        assertThat(client.call(Methods.HEALTH).get(5, SECONDS).path("ok").asBoolean())
                .isTrue();
    }

    @Test
    void pendingCallsFailWhenTheGatewayClosesTheSocket() {
        gateway.onRequest = (session, request) -> session.close(CloseCodes.RESTART, "service restart");
        GatewayClient client = connect(client());

        Throwable error = failure(client.call(Methods.STATUS));

        assertThat(error).isInstanceOfSatisfying(GatewayClientException.class, e -> {
            assertThat(e.code()).isEqualTo(GatewayClientException.CLOSED);
            assertThat(e.getMessage())
                    .isEqualTo("status: connection to gateway at " + gateway.url()
                            + " closed before the response (close 1012 service restart)");
        });
    }

    @Test
    void closeSends1000AndFailsPendingCalls() throws Exception {
        gateway.onRequest = (session, request) -> {};
        GatewayClient client = connect(client());
        CompletableFuture<JsonNode> pending = client.call(Methods.STATUS);

        client.close();
        client.close();

        assertThat(failure(pending))
                .hasMessageContaining("status: connection to gateway at")
                .hasMessageContaining("closed before the response (close 1000 client closed)");
        assertThat(gateway.session(1).clientClose.get(5, SECONDS)).isEqualTo("1000 client closed");
        assertThat(client.state()).isEqualTo(GatewayClient.State.CLOSED);
        assertThat(failure(client.call(Methods.HEALTH))).hasMessageContaining("not connected");
    }

    @Test
    void requestOverMaxPayloadFailsLocallyAndIsNotSent() {
        gateway.maxPayload = 512;
        GatewayClient client = connect(client());

        Throwable error = failure(client.call(Methods.STATUS, params().put("blob", "x".repeat(600))));

        assertThat(error).isInstanceOfSatisfying(GatewayClientException.class, e -> {
            assertThat(e.code()).isEqualTo(GatewayClientException.TOO_BIG);
            assertThat(e.getMessage())
                    .matches("status: request is \\d+ bytes, over the gateway's limit of 512 bytes"
                            + " \\(hello-ok policy.maxPayload\\); not sent");
        });
        assertThat(gateway.session(1).requests())
                .extracting(Frame.Request::method)
                .containsExactly("connect");
    }

    @Test
    void unknownFieldsAndMalformedFramesFromTheGatewayAreIgnored() throws Exception {
        List<Frame.Event> seen = new CopyOnWriteArrayList<>();
        GatewayClient client = connect(client().onEvent(seen::add));
        FakeGatewayServer.Session session = gateway.session(1);

        session.sendRaw("{not json");
        session.sendRaw("{\"type\":\"event\",\"event\":\"presence\",\"payload\":{\"presence\":[]},\"seq\":1,"
                + "\"stateVersion\":{\"presence\":2,\"health\":1},\"traceparent\":\"00-abc\"}");

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        assertThat(seen.get(0).event()).isEqualTo(Events.PRESENCE);
        assertThat(client.call(Methods.HEALTH).get(5, SECONDS).path("ok").asBoolean())
                .isTrue();
    }

    @Test
    void secretsNeverAppearInToStringOrTheConnectParamsPrintout() throws Exception {
        GatewayClient client = connect(client());

        assertThat(client.toString())
                .isEqualTo("GatewayClient[" + gateway.url() + ", state=connected, auth=token]")
                .doesNotContain(FakeGatewayServer.TOKEN);
        assertThat(gateway.session(1).connected.get(5, SECONDS).toString()).doesNotContain(FakeGatewayServer.TOKEN);
    }

    @Test
    void callsBeforeConnectFailFastAndConnectRunsOnce() {
        GatewayClient client = client().build();
        clients.add(client);

        assertThat(failure(client.call(Methods.HEALTH)))
                .hasMessage("health: not connected to gateway at " + gateway.url() + " (state: new)");
        client.connect();
        assertThatThrownBy(client::connect)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("connect() may be called once (state: connected)");
    }

    @Test
    void builderRefusesUrlsThatAreNotWebSocketUrls() {
        assertThatThrownBy(() -> GatewayClient.builder(URI.create("http://127.0.0.1:18789")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("url: http://127.0.0.1:18789 (expected: ws://host:port or wss://host:port)");
        assertThatThrownBy(() ->
                        GatewayClient.builder(URI.create("ws://127.0.0.1:1")).requestTimeout(Duration.ZERO))
                .hasMessage("requestTimeout: PT0S (expected: a positive duration)");
    }
}
