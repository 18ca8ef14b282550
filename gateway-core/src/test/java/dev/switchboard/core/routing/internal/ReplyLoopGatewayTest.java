package dev.switchboard.core.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.testing.TestGateways;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.SendException;
import dev.switchboard.spi.WebhookResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplyLoopGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SENTINEL = "sentinel";
    private static final String CONFIG = "chat.accounts.main { token = \"token-main\", allowed_ids = [\"*\"] }";

    @TempDir
    Path stateDir;

    private final ScriptedChannelProvider chat = ScriptedChannelProvider.replyLoop("chat");
    private final ChannelRegistry registry = ChannelRegistry.of(chat);
    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void closeAll() {
        gateways.forEach(Gateway::close);
    }

    @Test
    void anAllowedMessageGetsExactlyOneEchoReplyWithReplyToAndThread() {
        InboundSink inbound = startAndConnect();

        assertThat(inbound.accept(message("c1", Optional.of("topic"), "m1", "hello there")))
                .isEqualTo(InboundSink.Result.ACCEPTED);

        await().atMost(WAIT).until(() -> chat.sent.size() == 1);
        OutboundMessage reply = chat.sent.get(0);
        assertThat(reply.conversationId()).isEqualTo("c1");
        assertThat(reply.threadId()).contains("topic");
        assertThat(reply.replyToPlatformMessageId()).contains("m1");
        assertThat(reply.text()).isEqualTo("hello there");
        await().atMost(WAIT).until(() -> gateways.get(0).channels().get(0).outbound() == 1);
        awaitSentinel(inbound, "c1", Optional.of("topic"));
        assertThat(chat.sent).extracting(OutboundMessage::text).containsExactly("hello there", SENTINEL);
    }

    @Test
    void aDuplicatePlatformMessageIdIsAcknowledgedAndAnsweredOnce() {
        InboundSink inbound = startAndConnect();

        assertThat(inbound.accept(message("c1", Optional.empty(), "m1", "once")))
                .isEqualTo(InboundSink.Result.ACCEPTED);
        assertThat(inbound.accept(message("c1", Optional.empty(), "m1", "once")))
                .isEqualTo(InboundSink.Result.DUPLICATE);

        awaitSentinel(inbound, "c1", Optional.empty());
        assertThat(chat.sent).extracting(OutboundMessage::text).containsExactly("once", SENTINEL);
        assertThat(gateways.get(0).channels().get(0).inbound()).isEqualTo(2);
    }

    @Test
    void repliesOfEachConversationArriveInItsOrderUnderConcurrency() throws Exception {
        InboundSink inbound = startAndConnect();
        ExecutorService clients = Executors.newFixedThreadPool(5);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            String conversation = "conv-" + c;
            done.add(clients.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    inbound.accept(message(conversation, Optional.empty(), conversation + "-" + i, "msg " + i));
                }
            }));
        }
        for (Future<?> future : done) {
            future.get(20, TimeUnit.SECONDS);
        }
        clients.shutdown();

        for (int c = 0; c < 5; c++) {
            awaitSentinel(inbound, "conv-" + c, Optional.empty());
        }
        assertThat(chat.sent).hasSize(55);
        for (int c = 0; c < 5; c++) {
            assertThat(textsIn("conv-" + c))
                    .containsExactly(
                            "msg 0", "msg 1", "msg 2", "msg 3", "msg 4", "msg 5", "msg 6", "msg 7", "msg 8", "msg 9",
                            SENTINEL);
        }
    }

    @Test
    void aRetryableSendFailureIsRetriedAndDeliveredOnce() {
        chat.sending((message, attempt) -> attempt == 1 ? SendException.retryable("502 bad gateway", null) : null);
        InboundSink inbound = startAndConnect();

        inbound.accept(message("c1", Optional.empty(), "m1", "try again"));

        await().atMost(WAIT).until(() -> chat.sent.size() == 1);
        String key = chat.sent.get(0).idempotencyKey();
        awaitSentinel(inbound, "c1", Optional.empty());
        assertThat(chat.sent).extracting(OutboundMessage::text).containsExactly("try again", SENTINEL);
        assertThat(chat.sendAttempts(key)).isEqualTo(2);
        assertThat(gateways.get(0).channels().get(0).failed()).isZero();
    }

    @Test
    void aPermanentSendFailureMarksTheRowFailedAndIsCounted() {
        chat.sending((message, attempt) ->
                message.text().equals("blocked") ? SendException.permanent("403 bot was blocked by the user") : null);
        InboundSink inbound = startAndConnect();

        inbound.accept(message("c1", Optional.empty(), "m1", "blocked"));

        await().atMost(WAIT).until(() -> gateways.get(0).channels().get(0).failed() == 1);
        awaitSentinel(inbound, "c1", Optional.empty());
        assertThat(chat.sent).extracting(OutboundMessage::text).containsExactly(SENTINEL);
        assertThat(chat.sendAttempts("reply-1")).isEqualTo(1);
    }

    @Test
    void anErrorThrownBySendIsRetriedAndTheOutboxGoesOn() {
        // a plugin's missing class or a failed assertion: a bug in the channel, not a lost reply
        chat.sending((message, attempt) -> message.text().equals("broken") && attempt == 1
                ? new NoClassDefFoundError("com/example/relay/Missing")
                : null);
        InboundSink inbound = startAndConnect();

        inbound.accept(message("c1", Optional.empty(), "m1", "broken"));

        awaitSentinel(inbound, "c1", Optional.empty());
        awaitSentinel(inbound, "c2", Optional.empty());
        assertThat(textsIn("c1")).containsExactly("broken", SENTINEL);
        assertThat(chat.sendAttempts("reply-1")).isEqualTo(2);
        assertThat(gateways.get(0).channels().get(0).failed()).isZero();
    }

    @Test
    void afterARestartEveryMessageIsAnsweredExactlyOnce() {
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        chat.sending((message, attempt) -> {
            attempted.add(message.idempotencyKey());
            return SendException.retryable("network is down", null);
        });
        InboundSink inbound = startAndConnect();
        for (int i = 0; i < 5; i++) {
            inbound.accept(message("c" + (i % 2), Optional.empty(), "m" + i, "text " + i));
        }
        // the other conversation's rows wait behind their conversation's first row
        await().atMost(WAIT).until(() -> attempted.size() >= 2);
        gateways.get(0).close();

        chat.sending((message, attempt) -> null);
        InboundSink restarted = startAndConnect();

        awaitSentinel(restarted, "c0", Optional.empty());
        awaitSentinel(restarted, "c1", Optional.empty());
        assertThat(textsIn("c0")).containsExactly("text 0", "text 2", "text 4", SENTINEL);
        assertThat(textsIn("c1")).containsExactly("text 1", "text 3", SENTINEL);
    }

    @Test
    void adapterCursorsSurviveARestart() {
        startAndConnect();
        latestAdapter().context.saveCursor("offset", "42");
        gateways.get(0).close();

        startAndConnect();

        assertThat(latestAdapter().context.cursor("offset")).contains("42");
        assertThat(latestAdapter().context.cursor("other")).isEmpty();
    }

    @Test
    void aStoreThatCannotOpenFailsTheStart() throws Exception {
        Gateway gateway =
                builder(CONFIG + "\nstore.url = \"jdbc:sqlite:${state}\"").build();
        gateways.add(gateway);

        assertThatThrownBy(gateway::start).hasMessageContaining("cannot be opened: it is a directory");

        assertThat(gateway.state()).isEqualTo(Gateway.State.FAILED);
        JsonNode owner =
                new ObjectMapper().readTree(new OwnerPaths(stateDir).ownerFile().toFile());
        assertThat(owner.get("phase").asText()).isEqualTo("failed");
        assertThat(chat.created).isEmpty();
    }

    @Test
    void aWebhookPostIsStoredBeforeItIsAnsweredAndThenReplied() throws Exception {
        InboundSink inbound = startAndConnect();
        latestAdapter().context.webhook(request -> {
            String text = new String(request.body(), StandardCharsets.UTF_8);
            InboundSink.Result result = inbound.accept(message("c1", Optional.empty(), "w-" + text, text));
            return WebhookResponse.json(200, "{\"result\":\"" + result + "\"}");
        });
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest post = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateways.get(0).port() + "/webhooks/chat/main"))
                .POST(HttpRequest.BodyPublishers.ofString("via webhook"))
                .build();

        HttpResponse<String> first = http.send(post, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> again = http.send(post, HttpResponse.BodyHandlers.ofString());

        assertThat(first.body()).isEqualTo("{\"result\":\"ACCEPTED\"}");
        assertThat(again.body()).isEqualTo("{\"result\":\"DUPLICATE\"}");
        await().atMost(WAIT).until(() -> chat.sent.size() == 1);
        assertThat(chat.sent.get(0).text()).isEqualTo("via webhook");
    }

    @Test
    void aBatchIsAllowlistedDedupedAndStoredTogetherWithResultsInOrder() {
        Gateway gateway = builder("chat.accounts.main { token = \"token-main\", allowed_ids = [\"c1\"] }")
                .build();
        gateways.add(gateway);
        gateway.start();
        await().atMost(WAIT).until(() -> gateway.channels().get(0).state() == AccountState.CONNECTED);
        InboundSink inbound = latestAdapter().context.inbound();
        inbound.accept(message("c1", Optional.empty(), "m0", "seen before"));

        List<InboundSink.Result> results = inbound.acceptAll(List.of(
                message("c1", Optional.empty(), "m1", "first"),
                message("c2", Optional.empty(), "m2", "not allowed"),
                message("c1", Optional.empty(), "m0", "seen before"),
                message("c1", Optional.empty(), "m3", "second")));

        assertThat(results)
                .containsExactly(
                        InboundSink.Result.ACCEPTED,
                        InboundSink.Result.DROPPED,
                        InboundSink.Result.DUPLICATE,
                        InboundSink.Result.ACCEPTED);
        await().atMost(WAIT).until(() -> chat.sent.size() == 3);
        assertThat(chat.sent.stream().map(OutboundMessage::text)).containsExactly("seen before", "first", "second");
        assertThat(gateway.channels().get(0).inbound()).isEqualTo(3);
        assertThat(gateway.channels().get(0).dropped()).isEqualTo(1);
    }

    /**
     * Sends {@value #SENTINEL} in {@code conversation} and waits for its reply. A conversation's messages are
     * answered, and its replies sent, in order: whatever else the gateway would send there has been sent by then.
     */
    private void awaitSentinel(InboundSink inbound, String conversation, Optional<String> thread) {
        assertThat(inbound.accept(message(conversation, thread, "sentinel-" + conversation, SENTINEL)))
                .isEqualTo(InboundSink.Result.ACCEPTED);
        await().atMost(WAIT).until(() -> textsIn(conversation).contains(SENTINEL));
    }

    private List<String> textsIn(String conversation) {
        return chat.sent.stream()
                .filter(m -> m.conversationId().equals(conversation))
                .map(OutboundMessage::text)
                .toList();
    }

    private ScriptedChannelProvider.ScriptedAdapter latestAdapter() {
        List<ScriptedChannelProvider.ScriptedAdapter> adapters = chat.adapters("main");
        return adapters.get(adapters.size() - 1);
    }

    private Gateway.Builder builder(String hocon) {
        return TestGateways.builder(registry, hocon, stateDir);
    }

    private InboundSink startAndConnect() {
        Gateway gateway = builder(CONFIG).build();
        gateways.add(gateway);
        gateway.start();
        await().atMost(WAIT).until(() -> gateway.channels().get(0).state() == AccountState.CONNECTED);
        return latestAdapter().context.inbound();
    }

    static InboundMessage message(String conversation, Optional<String> thread, String id, String text) {
        return new InboundMessage("chat", "main", conversation, thread, "user-1", id, text, Instant.now());
    }
}
