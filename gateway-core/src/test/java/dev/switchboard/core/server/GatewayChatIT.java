package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.server.internal.Utf8;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayCallException;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Methods;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webchat methods (SPEC §5.3 chat.send, chat.history, sessions.*) of a real gateway with the echo agent. */
class GatewayChatIT {
    private static final String CONFIG =
            """
            gateway.auth.token = "chat-secret-1"
            # short, so that the tests here also show a client that reads is never closed for it
            gateway.slow_consumer_timeout_ms = 5000
            chat.accounts.main { token = "chat-token-1", allowed_ids = [1] }
            """;

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final List<Frame.Event> events = new CopyOnWriteArrayList<>();
    private Gateway gateway;
    private GatewayClient client;

    @BeforeEach
    void start() {
        gateway = TestGateways.builder(ChannelRegistry.of(chat), CONFIG, stateDir)
                .environment(Map.of())
                .build()
                .start();
        client = GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.port()))
                .token("chat-secret-1")
                .onEvent(events::add)
                .connect();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private static ObjectNode params(String... keyValues) {
        ObjectNode params = FrameCodec.json().createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    private List<JsonNode> chatEvents(String runId) {
        return events.stream()
                .filter(e -> e.event().equals(Events.CHAT))
                .map(Frame.Event::payload)
                .filter(p -> p.path("runId").asText().equals(runId))
                .toList();
    }

    private JsonNode finalEvent(String runId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> chatEvents(runId).stream()
                .anyMatch(p -> !p.path("state").asText().equals("delta")));
        List<JsonNode> run = chatEvents(runId);
        return run.get(run.size() - 1);
    }

    @Test
    void chatSendStreamsDeltasThenTheFinalReplyAndRecordsBothTurns() {
        assertThat(client.hello().at("/features/methods").toString())
                .contains(Methods.CHAT_SEND, Methods.CHAT_HISTORY, Methods.SESSIONS_LIST, Methods.SESSIONS_RESET);
        assertThat(client.hello().at("/features/events").toString()).contains("\"chat\"");

        JsonNode started = client.call(
                        Methods.CHAT_SEND,
                        params("sessionKey", "t1", "message", "hello there world", "idempotencyKey", "k1"))
                .join();
        assertThat(started.path("status").asText()).isEqualTo("started");
        assertThat(started.path("sessionKey").asText()).isEqualTo("webchat:t1");
        String runId = started.path("runId").asText();

        JsonNode last = finalEvent(runId);
        assertThat(last.path("state").asText()).isEqualTo("final");
        assertThat(last.path("message").asText()).isEqualTo("hello there world");
        List<JsonNode> deltas = chatEvents(runId).stream()
                .filter(p -> p.path("state").asText().equals("delta"))
                .toList();
        assertThat(deltas).isNotEmpty();
        assertThat(String.join(
                        "",
                        deltas.stream().map(d -> d.path("deltaText").asText()).toList()))
                .isEqualTo("hello there world");
        assertThat(deltas.stream().map(d -> d.path("seq").asInt()).toList())
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, deltas.size())
                        .boxed()
                        .toList());

        JsonNode history = client.call(Methods.CHAT_HISTORY, params("sessionKey", "webchat:t1"))
                .join();
        assertThat(history.path("sessionKey").asText()).isEqualTo("webchat:t1");
        assertThat(history.path("messages")).hasSize(2);
        assertThat(history.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(history.at("/messages/0/content").asText()).isEqualTo("hello there world");
        assertThat(history.at("/messages/1/role").asText()).isEqualTo("assistant");
        assertThat(history.at("/messages/1/ts").asLong()).isPositive();

        JsonNode sessions = client.call(Methods.SESSIONS_LIST).join();
        assertThat(sessions.path("sessions").findValuesAsText("sessionKey")).contains("webchat:t1");
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstRunAndStartsNoOther() {
        ObjectNode send = params("sessionKey", "t2", "message", "once", "idempotencyKey", "same");
        String runId = client.call(Methods.CHAT_SEND, send).join().path("runId").asText();
        finalEvent(runId);

        JsonNode again = client.call(Methods.CHAT_SEND, send).join();
        assertThat(again.path("runId").asText()).isEqualTo(runId);
        assertThat(again.path("status").asText()).isEqualTo("ok");
        assertThat(again.path("text").asText()).isEqualTo("once");

        JsonNode history =
                client.call(Methods.CHAT_HISTORY, params("sessionKey", "t2")).join();
        assertThat(history.path("messages").findValuesAsText("role")).containsExactly("user", "assistant");
    }

    @Test
    void resetStartsANewEmptySession() {
        String first = client.call(
                        Methods.CHAT_SEND, params("sessionKey", "t3", "message", "hi", "idempotencyKey", "a"))
                .join()
                .path("runId")
                .asText();
        finalEvent(first);
        long before = client.call(Methods.CHAT_HISTORY, params("sessionKey", "t3"))
                .join()
                .path("sessionId")
                .asLong();

        String reset = client.call(
                        Methods.CHAT_SEND, params("sessionKey", "t3", "message", "/reset", "idempotencyKey", "b"))
                .join()
                .path("runId")
                .asText();
        assertThat(finalEvent(reset).path("message").asText()).isEqualTo("Started a new conversation.");
        JsonNode history =
                client.call(Methods.CHAT_HISTORY, params("sessionKey", "t3")).join();
        assertThat(history.path("sessionId").asLong()).isNotEqualTo(before);
        assertThat(history.path("messages")).isEmpty();

        JsonNode viaMethod =
                client.call(Methods.SESSIONS_RESET, params("sessionKey", "t3")).join();
        assertThat(viaMethod.path("sessionKey").asText()).isEqualTo("webchat:t3");
        assertThat(viaMethod.path("sessionId").asLong())
                .isNotEqualTo(history.path("sessionId").asLong());
    }

    @Test
    void missingParamsAreInvalidRequestsNamingTheParam() {
        assertInvalid(Methods.CHAT_SEND, params("sessionKey", "t4", "message", "x"), "idempotencyKey");
        assertInvalid(Methods.CHAT_SEND, params("sessionKey", "t4", "message", " ", "idempotencyKey", "k"), "message");
        assertInvalid(Methods.CHAT_SEND, params("message", "x", "idempotencyKey", "k"), "sessionKey");
        assertInvalid(Methods.CHAT_HISTORY, params(), "sessionKey");
        assertInvalid(Methods.SESSIONS_RESET, params(), "sessionKey");
    }

    private void assertInvalid(String method, ObjectNode params, String named) {
        assertThatThrownBy(() -> client.call(method, params).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(GatewayCallException.class)
                .satisfies(e -> {
                    GatewayCallException call = (GatewayCallException) e;
                    assertThat(call.errorShape().code()).isEqualTo("INVALID_REQUEST");
                    assertThat(call.errorShape().message()).contains(named);
                });
    }
    /** Sends {@code message} in session {@code key} and waits for its final reply. */
    private void chat(String key, String message) {
        String runId = client.call(
                        Methods.CHAT_SEND,
                        params(
                                "sessionKey",
                                key,
                                "message",
                                message,
                                "idempotencyKey",
                                UUID.randomUUID().toString()))
                .join()
                .path("runId")
                .asText();
        assertThat(finalEvent(runId).path("state").asText()).isEqualTo("final");
    }

    /** Every page of a session's history, first (newest) page first. */
    private List<JsonNode> pages(ObjectNode first) {
        List<JsonNode> pages = new ArrayList<>();
        ObjectNode params = first.deepCopy();
        while (true) {
            JsonNode page = client.call(Methods.CHAT_HISTORY, params).join();
            pages.add(page);
            if (!page.has("nextCursor")) {
                return pages;
            }
            params.put("cursor", page.path("nextCursor").asText());
        }
    }

    /** The turns of all pages in conversation order: each page is oldest first, older pages come later. */
    private static List<String> turns(List<JsonNode> pages) {
        List<String> turns = new ArrayList<>();
        for (JsonNode page : pages) {
            List<String> older = new ArrayList<>();
            page.path("messages")
                    .forEach(m -> older.add(
                            m.path("role").asText() + ":" + m.path("content").asText()));
            turns.addAll(0, older);
        }
        return turns;
    }

    @Test
    void aHistoryLargerThanTheSendBufferIsReadInPagesAndTheReaderIsNeverClosed() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String message = "turn " + i + " " + "x".repeat(900_000); // 10 turns, 9 MB: more than 8 MiB
            chat("big", message);
            expected.add("user:" + message);
            expected.add("assistant:" + message);
        }

        List<JsonNode> pages = pages(params("sessionKey", "big"));

        assertThat(turns(pages)).as("every turn once, in order").isEqualTo(expected);
        assertThat(pages)
                .allSatisfy(page -> assertThat(Utf8.length(page.path("messages").toString()))
                        .isLessThanOrEqualTo(1024 * 1024));
        assertThat(client.call(Methods.HEALTH).join().path("ok").asBoolean())
                .as("the socket that read it all is still open")
                .isTrue();
    }

    @Test
    void pagesHoldLimitTurnsAndContinueFromTheirCursorOnTheSessionTheyStartedOn() {
        for (int i = 1; i <= 7; i++) {
            chat("p", "m" + i);
        }
        List<String> all = turns(List.of(
                client.call(Methods.CHAT_HISTORY, params("sessionKey", "p")).join()));
        assertThat(all).hasSize(14);

        ObjectNode first = params("sessionKey", "p");
        first.put("limit", 4);
        JsonNode newest = client.call(Methods.CHAT_HISTORY, first).join();
        client.call(Methods.SESSIONS_RESET, params("sessionKey", "p")).join(); // paging finishes the old session
        ObjectNode rest =
                first.deepCopy().put("cursor", newest.path("nextCursor").asText());
        List<JsonNode> pages = new ArrayList<>(List.of(newest));
        pages.addAll(pages(rest));

        assertThat(pages).extracting(page -> page.path("messages").size()).containsExactly(4, 4, 4, 2);
        assertThat(pages)
                .extracting(page -> page.path("sessionId").asLong())
                .containsOnly(newest.path("sessionId").asLong());
        assertThat(turns(pages)).isEqualTo(all);
    }

    @Test
    void aTurnTooLargeForAPageComesAloneCutToFit() {
        chat("t", "é".repeat(3000));
        ObjectNode small = params("sessionKey", "t");
        small.put("maxBytes", 1024);

        JsonNode page = client.call(Methods.CHAT_HISTORY, small).join();

        assertThat(page.path("messages")).hasSize(1);
        JsonNode reply = page.path("messages").get(0);
        assertThat(reply.path("role").asText()).isEqualTo("assistant");
        assertThat(reply.path("truncated").asBoolean()).isTrue();
        assertThat("é".repeat(3000)).startsWith(reply.path("content").asText());
        assertThat(Utf8.length(page.path("messages").toString())).isBetween(900L, 1024L);
        assertThat(page.has("nextCursor")).isTrue();
    }

    @Test
    void aCursorOfAnotherSessionOrNoneAtAllIsRefused() {
        chat("c1", "one");
        chat("c2", "two");
        ObjectNode first = params("sessionKey", "c1");
        first.put("limit", 1);
        String cursor = client.call(Methods.CHAT_HISTORY, first)
                .join()
                .path("nextCursor")
                .asText();

        assertInvalid(Methods.CHAT_HISTORY, params("sessionKey", "c2", "cursor", cursor), "cursor: \"" + cursor + "\"");
        assertInvalid(Methods.CHAT_HISTORY, params("sessionKey", "c1", "cursor", "page-2"), "cursor: \"page-2\"");
        assertThat(client.call(Methods.CHAT_HISTORY, params("sessionKey", "c1", "cursor", cursor))
                        .join()
                        .path("messages")
                        .findValuesAsText("content"))
                .containsExactly("one");
    }
}
