package dev.switchboard.testkit.telegram;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.telegram.BotApiClient.Answer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeTelegramTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FakeTelegram telegram = FakeTelegram.start();
    private final FakeBot bot = telegram.addBot(FakeTelegram.newToken(7_000_001), "switchboard_test_bot");
    private final BotApiClient api = new BotApiClient(telegram, bot.token());
    private final TgUser alice = bot.user(42, "Alice", "alice_w");
    private final TgChat aliceChat = bot.privateChat(alice);

    @AfterEach
    void close() {
        api.close();
        telegram.close();
    }

    private List<Integer> updateIds(Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        List<Integer> ids = new ArrayList<>();
        answer.result().forEach(update -> ids.add(update.path("update_id").asInt()));
        return ids;
    }

    // ------------------------------------------------------------------ transport and shapes

    @Test
    void tokensAreWellFormedAndTheBotIdIsTheirDigits() {
        assertThat(bot.token()).matches("7000001:[A-Za-z0-9_-]{35}");
        assertThat(bot.id()).isEqualTo(7_000_001L);
        assertThatThrownBy(() -> telegram.addBot("123:short", "x_bot"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: <digits>:<35 characters>")
                .hasMessageNotContaining("short");
    }

    @Test
    void getMeAnswersTheBotUserWithMethodNamesCaseInsensitiveOverGetAndPost() throws IOException {
        Answer get = api.get("GETME");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body().path("ok").asBoolean()).isTrue();
        JsonNode me = get.result();
        assertThat(me.path("id").asLong()).isEqualTo(bot.id());
        assertThat(me.path("is_bot").asBoolean()).isTrue();
        assertThat(me.path("username").asText()).isEqualTo("switchboard_test_bot");
        assertThat(me.has("first_name")).isTrue();
        assertThat(me.has("can_join_groups")).isTrue();
        assertThat(me.has("can_read_all_group_messages")).isTrue();
        assertThat(me.has("supports_inline_queries")).isTrue();
        assertThat(api.json("getme", "{}").result()).isEqualTo(me);
        assertThat(bot.callCount("getMe")).isEqualTo(2);
        assertThat(bot.calls()).extracting(ApiCall::method).containsExactly("getMe", "getMe");
    }

    @Test
    void unknownTokenIs401AndUnknownMethodIs404InTheErrorShape() throws IOException {
        BotApiClient stranger = new BotApiClient(telegram, FakeTelegram.newToken(999));
        try {
            Answer unauthorized = stranger.get("getMe");
            assertThat(unauthorized.status()).isEqualTo(401);
            assertThat(unauthorized.body().toString())
                    .isEqualTo("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
        } finally {
            stranger.close();
        }
        Answer notFound = api.get("sendPigeon");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.body().toString())
                .isEqualTo("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
        assertThat(bot.callCount("sendpigeon")).isEqualTo(1);
        assertThat(bot.calls().get(0).status()).isEqualTo(404);
    }

    @Test
    void paramsArriveAsQueryFormJsonOrMultipartWithJsonValuedFieldsAsText() throws IOException {
        bot.userSays(aliceChat, alice, "hi");
        int first = bot.userSays(aliceChat, alice, "hi again").messageId() - 1;
        Answer query = api.get("sendMessage?chat_id=42&text=" + "via%20query");
        Answer form = api.form(
                "sendMessage",
                Map.of("chat_id", "42", "text", "via form", "reply_parameters", "{\"message_id\":" + first + "}"));
        Answer json = api.json("sendMessage", Map.of("chat_id", 42, "text", "via json"));
        Answer multipart = api.execute(new Request.Builder()
                .url(telegram.apiBaseUrl() + "/bot" + bot.token() + "/sendMessage")
                .post(new MultipartBody.Builder()
                        .setType(MultipartBody.FORM)
                        .addFormDataPart("chat_id", "42")
                        .addFormDataPart("text", "via multipart ✓")
                        .build())
                .build());
        assertThat(List.of(query, form, json, multipart))
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(bot.sent())
                .extracting(SentMessage::text)
                .containsExactly("via query", "via form", "via json", "via multipart ✓");
        assertThat(bot.sent().get(1).replyToMessageId()).hasValue(first);
        assertThat(form.result().path("reply_to_message").path("text").asText()).isEqualTo("hi");
        assertThat(bot.calls().get(1).paramsJson()).contains("\"text\":\"via form\"");
    }

    // ------------------------------------------------------------------ getUpdates

    @Test
    void anOffsetConfirmsEverythingBelowItAndConfirmedUpdatesNeverComeBack() throws IOException {
        int u1 = bot.userSays(aliceChat, alice, "one").updateId();
        int u2 = bot.userSays(aliceChat, alice, "two").updateId();
        int u3 = bot.userSays(aliceChat, alice, "three").updateId();
        assertThat(List.of(u2 - u1, u3 - u2)).containsOnly(1);

        Answer all = api.json("getUpdates", Map.of());
        assertThat(updateIds(all)).containsExactly(u1, u2, u3);
        assertThat(all.result().get(0).path("message").path("text").asText()).isEqualTo("one");
        assertThat(bot.confirmedOffset()).isZero();
        assertThat(updateIds(api.json("getUpdates", Map.of())))
                .as("nothing confirmed without an offset")
                .containsExactly(u1, u2, u3);

        assertThat(updateIds(api.json("getUpdates", Map.of("offset", u2)))).containsExactly(u2, u3);
        assertThat(bot.confirmedOffset()).isEqualTo(u1 + 1L);
        assertThat(bot.pendingUpdates()).isEqualTo(2);
        assertThat(updateIds(api.json("getUpdates", Map.of()))).containsExactly(u2, u3);
        assertThat(updateIds(api.json("getUpdates", Map.of("offset", u1))))
                .as("a lower offset does not bring confirmed updates back")
                .containsExactly(u2, u3);

        assertThat(updateIds(api.json("getUpdates", Map.of("offset", u3 + 1)))).isEmpty();
        assertThat(bot.confirmedOffset()).isEqualTo(u3 + 1L);
        assertThat(bot.pendingUpdates()).isZero();
        int u4 = bot.userSays(aliceChat, alice, "four").updateId();
        assertThat(updateIds(api.json("getUpdates", Map.of("offset", u3 + 1)))).containsExactly(u4);
    }

    @Test
    void poisonUpdatesGoOnTheWireAsScriptedAndAreConfirmedByTheFakesOwnIds() throws IOException {
        int raw = bot.rawUpdate("{\"update_id\":\"not a number\",\"message\":{}}");
        TgMessage overflow = bot.userSaysWithEntity(aliceChat, alice, "hi", Integer.MAX_VALUE, 10);
        TgMessage stringId = bot.userSaysWithUpdateId(aliceChat, alice, "hi", "\"583000009\"");
        TgMessage deep = bot.userSaysDeeplyNested(aliceChat, alice, "hi", 1500);

        String page = api.rawGetUpdates(Map.of());

        assertThat(page)
                .startsWith("{\"ok\":true,\"result\":[{\"update_id\":\"not a number\",\"message\":{}},")
                .contains("\"entities\":[{\"type\":\"mention\",\"offset\":2147483647,\"length\":10}]")
                .contains("{\"update_id\":\"583000009\",")
                .contains("\"x_nested\":" + "[".repeat(1500) + "]".repeat(1500));
        assertThat(List.of(overflow.updateId(), stringId.updateId(), deep.updateId()))
                .containsExactly(raw + 1, raw + 2, raw + 3);
        api.rawGetUpdates(Map.of("offset", deep.updateId()));
        assertThat(bot.pendingUpdates()).as("confirmed below the deep one").isEqualTo(1);
    }

    @Test
    void aFloodFaultCarriesARetryAfterOfAnySize() throws IOException {
        bot.failNext("getUpdates", 1, Fault.tooManyRequests(1L << 31));

        Answer answer = api.json("getUpdates", Map.of());

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.body().path("parameters").path("retry_after").asLong())
                .isEqualTo(1L << 31);
    }

    @Test
    void aNegativeOffsetReturnsTheLastUpdatesAndForgetsTheEarlierOnes() throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(bot.userSays(aliceChat, alice, "m" + i).updateId());
        }
        assertThat(updateIds(api.json("getUpdates", Map.of("offset", -2)))).containsExactly(ids.get(3), ids.get(4));
        assertThat(bot.pendingUpdates()).isEqualTo(2);
        assertThat(bot.confirmedOffset()).isEqualTo(ids.get(2) + 1L);
        assertThat(updateIds(api.json("getUpdates", Map.of()))).containsExactly(ids.get(3), ids.get(4));
    }

    @Test
    void limitCapsABatchBetween1And100() throws IOException {
        for (int i = 0; i < 105; i++) {
            bot.userSays(aliceChat, alice, "m" + i);
        }
        assertThat(updateIds(api.json("getUpdates", Map.of("limit", 2)))).hasSize(2);
        assertThat(updateIds(api.json("getUpdates", Map.of()))).hasSize(100);
        assertThat(updateIds(api.json("getUpdates", Map.of("limit", 500)))).hasSize(100);
        assertThat(updateIds(api.form("getUpdates", Map.of("limit", "0")))).hasSize(1);
    }

    @Test
    void aLongPollIsHeldUntilAnUpdateArrives() throws Exception {
        CompletableFuture<Answer> poll =
                api.jsonAsync("getUpdates", Map.of("timeout", 50, "allowed_updates", List.of("message")));
        bot.awaitHeldPoll(WAIT);
        assertThat(poll).isNotDone();
        TgMessage message = bot.userSays(aliceChat, alice, "wake up");
        Answer answer = poll.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(updateIds(answer)).containsExactly(message.updateId());
        assertThat(bot.heldPolls()).isZero();
        assertThat(bot.allowedUpdates()).contains(List.of("message"));

        // the kept-alive connection serves the next polls normally
        int offset = message.updateId() + 1;
        CompletableFuture<Answer> next = api.jsonAsync("getUpdates", Map.of("offset", offset, "timeout", 50));
        bot.awaitHeldPoll(WAIT);
        TgMessage second = bot.userSays(aliceChat, alice, "again");
        assertThat(updateIds(next.get(WAIT.toSeconds(), TimeUnit.SECONDS))).containsExactly(second.updateId());
        assertThat(updateIds(api.json("getUpdates", Map.of("offset", second.updateId() + 1))))
                .isEmpty();
        assertThat(telegram.openConnections()).isEqualTo(1);
    }

    @Test
    void aLongPollAnswersAnEmptyListWhenItsTimeoutExpires() throws IOException {
        Answer answer = api.form("getUpdates", Map.of("timeout", "1"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.result().isArray()).isTrue();
        assertThat(answer.result()).isEmpty();
    }

    @Test
    void aSecondPollerMakesTheEarlierPollAnswer409() throws Exception {
        CompletableFuture<Answer> first = api.jsonAsync("getUpdates", Map.of("timeout", 50));
        bot.awaitHeldPoll(WAIT);
        Answer second = api.json("getUpdates", Map.of("timeout", 0));
        assertThat(second.status()).isEqualTo(200);
        Answer terminated = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(terminated.status()).isEqualTo(409);
        assertThat(terminated.body().toString())
                .isEqualTo("{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by other"
                        + " getUpdates request; make sure that only one bot instance is running\"}");
    }

    @Test
    void getUpdatesIs409WhileAWebhookIsSetUntilDeleteWebhook() throws Exception {
        CompletableFuture<Answer> held = api.jsonAsync("getUpdates", Map.of("timeout", 50));
        bot.awaitHeldPoll(WAIT);
        bot.setWebhookExternally("https://other.example/hook");
        String conflict = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to"
                + " delete the webhook first";
        assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS)
                        .body()
                        .path("description")
                        .asText())
                .isEqualTo(conflict);
        Answer refused = api.json("getUpdates", Map.of());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("description").asText()).isEqualTo(conflict);
        assertThat(api.json("getWebhookInfo", "{}").result().path("url").asText())
                .isEqualTo("https://other.example/hook");

        Answer deleted = api.json("deleteWebhook", "{}");
        assertThat(deleted.result().asBoolean()).isTrue();
        assertThat(deleted.body().path("description").asText()).isEqualTo("Webhook was deleted");
        assertThat(api.json("deleteWebhook", "{}").body().path("description").asText())
                .isEqualTo("Webhook is already deleted");
        assertThat(bot.webhookUrl()).isEmpty();
        assertThat(api.json("getWebhookInfo", "{}").result().path("url").asText())
                .isEmpty();
        assertThat(api.json("getUpdates", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void deleteWebhookCanDropPendingUpdates() throws IOException {
        bot.userSays(aliceChat, alice, "old");
        int last = bot.userSays(aliceChat, alice, "older").updateId();
        api.json("deleteWebhook", Map.of("drop_pending_updates", true));
        assertThat(bot.pendingUpdates()).isZero();
        assertThat(bot.confirmedOffset()).isEqualTo(last + 1L);
    }

    @Test
    void aWebhookGetsEachUpdatePushedWithTheSecretHeaderRetriedUntil2xx() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> secrets = new CopyOnWriteArrayList<>();
        AtomicInteger requests = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), UTF_8);
                int n = requests.incrementAndGet();
                secrets.add(exchange.getRequestHeaders().getFirst("X-Telegram-Bot-Api-Secret-Token"));
                int status = n == 1 ? 500 : 200; // the first push fails and is retried
                if (status == 200) {
                    bodies.add(body);
                }
                exchange.sendResponseHeaders(status, -1);
            } finally {
                exchange.close();
            }
        });
        receiver.start();
        try {
            TgMessage before = bot.userSays(aliceChat, alice, "queued before");
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            Answer set = api.json("setWebhook", Map.of("url", url, "secret_token", "s3cret_token-1"));
            assertThat(set.result().asBoolean()).isTrue();
            assertThat(set.body().path("description").asText()).isEqualTo("Webhook was set");
            TgMessage after = bot.userSays(aliceChat, alice, "sent after");

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (bodies.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(bodies).hasSize(2);
            JsonNode first = BotApiClient.MAPPER.readTree(bodies.get(0));
            assertThat(first.path("update_id").asInt()).isEqualTo(before.updateId());
            assertThat(first.path("message").path("text").asText()).isEqualTo("queued before");
            assertThat(BotApiClient.MAPPER
                            .readTree(bodies.get(1))
                            .path("update_id")
                            .asInt())
                    .isEqualTo(after.updateId());
            assertThat(secrets).hasSize(3).containsOnly("s3cret_token-1");
            // the receiver records a body before it answers: the fake confirms the update on the 2xx
            while (bot.pendingUpdates() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(bot.pendingUpdates()).isZero();
            assertThat(bot.confirmedOffset()).isEqualTo(after.updateId() + 1L);
            JsonNode info = api.json("getWebhookInfo", "{}").result();
            assertThat(info.path("url").asText()).isEqualTo(url);
            assertThat(info.path("pending_update_count").asInt()).isZero();
            // the receiver's 500, or (the JDK server on a loaded machine resets a kept-alive connection
            // now and then) the failed connection of a retry: either way the last failed delivery
            assertThat(info.path("last_error_message").asText())
                    .satisfiesAnyOf(message -> assertThat(message).contains("500"), message -> assertThat(message)
                            .startsWith("Connection failed"));
            assertThat(api.json("getUpdates", Map.of()).status()).isEqualTo(409);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void setWebhookRefusesABadSecretToken() throws IOException {
        Answer answer = api.json("setWebhook", Map.of("url", "https://example.org/hook", "secret_token", "no spaces!"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("description").asText()).startsWith("Bad Request: secret token");
        assertThat(bot.webhookUrl()).isEmpty();
    }

    // ------------------------------------------------------------------ messages

    @Test
    void sendMessageReturnsTheMessageWithANewMessageIdAndRecordsIt() throws IOException {
        TgMessage hello = bot.userSays(aliceChat, alice, "hello");
        Answer answer = api.json(
                "sendMessage", Map.of("chat_id", 42, "text", "hi Alice", "reply_parameters", Map.of("message_id", 1)));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode message = answer.result();
        assertThat(message.path("message_id").asInt()).isEqualTo(hello.messageId() + 1);
        assertThat(message.path("from").path("id").asLong()).isEqualTo(bot.id());
        assertThat(message.path("chat").path("id").asLong()).isEqualTo(42);
        assertThat(message.path("text").asText()).isEqualTo("hi Alice");
        assertThat(message.path("reply_to_message").path("message_id").asInt()).isEqualTo(hello.messageId());
        SentMessage sent = bot.awaitSent(1, WAIT).get(0);
        assertThat(sent.chatId()).isEqualTo(42);
        assertThat(sent.messageId()).isEqualTo(message.path("message_id").asInt());
        assertThat(sent.replyToMessageId()).hasValue(hello.messageId());
        assertThat(sent.messageThreadId()).isEmpty();
        assertThat(bot.sentTo(42)).containsExactly(sent);
        assertThat(bot.sentTo(43)).isEmpty();
    }

    @Test
    void sendMessageValidatesTheChatAndTheText() throws IOException {
        assertThat(error(api.json("sendMessage", Map.of("chat_id", 43, "text", "x"))))
                .isEqualTo("400 Bad Request: chat not found");
        assertThat(error(api.json("sendMessage", Map.of("chat_id", "@nobody", "text", "x"))))
                .isEqualTo("400 Bad Request: chat not found");
        assertThat(error(api.json("sendMessage", Map.of("text", "x")))).isEqualTo("400 Bad Request: chat_id is empty");
        assertThat(error(api.json("sendMessage", Map.of("chat_id", 42, "text", ""))))
                .isEqualTo("400 Bad Request: message text is empty");
        assertThat(error(api.json("sendMessage", Map.of("chat_id", 42, "text", " \n "))))
                .isEqualTo("400 Bad Request: message text is empty");
        assertThat(error(api.json("sendMessage", Map.of("chat_id", 42))))
                .isEqualTo("400 Bad Request: message text is empty");
        assertThat(error(api.json("sendMessage", Map.of("chat_id", 42, "text", "<b></b>", "parse_mode", "HTML"))))
                .isEqualTo("400 Bad Request: message text is empty");
        assertThat(bot.sent()).isEmpty();
    }

    @Test
    void theLengthLimitIs4096Utf16UnitsAfterHtmlParsingWhereAnEmojiCountsTwo() throws IOException {
        String emoji = "😀"; // a supplementary character: two UTF-16 units, four UTF-8 bytes
        assertThat(api.json("sendMessage", Map.of("chat_id", 42, "text", emoji.repeat(2048)))
                        .status())
                .isEqualTo(200);
        assertThat(error(api.json("sendMessage", Map.of("chat_id", 42, "text", emoji.repeat(2048) + "x"))))
                .isEqualTo("400 Bad Request: message is too long");
        assertThat(error(api.json("sendMessage", Map.of("chat_id", 42, "text", "x".repeat(4097)))))
                .isEqualTo("400 Bad Request: message is too long");
        String html = "<b>" + "&lt;".repeat(4096) + "</b>"; // tags do not count, an entity counts once
        assertThat(api.json("sendMessage", Map.of("chat_id", 42, "text", html, "parse_mode", "HTML"))
                        .status())
                .isEqualTo(200);
        assertThat(bot.sent()).extracting(m -> m.text().length()).containsExactly(4096, 4096);
        assertThat(bot.sent().get(1).text()).isEqualTo("<".repeat(4096));
    }

    @Test
    void badHtmlIsRefusedLikeTelegram() throws IOException {
        assertThat(error(html("<b>bold")))
                .isEqualTo(
                        "400 Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"");
        assertThat(error(html("line<br>next")))
                .isEqualTo("400 Bad Request: can't parse entities: Unsupported start tag \"br\" at byte offset 4");
        assertThat(error(html("é</i>")))
                .isEqualTo("400 Bad Request: can't parse entities: Unexpected end tag at byte offset 2");
        assertThat(error(html("<b><i>x</b></i>")))
                .isEqualTo(
                        "400 Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"i\"");
        assertThat(error(html("1 <2"))).startsWith("400 Bad Request: can't parse entities: ");
        assertThat(html("<b>a</b> &amp; <a href=\"https://x.org\">link</a> &#128512; <code>x &lt; y</code>")
                        .status())
                .isEqualTo(200);
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly("a & link 😀 x < y");
        assertThat(api.json("sendMessage", Map.of("chat_id", 42, "text", "<b>raw</b>"))
                        .status())
                .as("without parse_mode tags are text")
                .isEqualTo(200);
        assertThat(bot.sent().get(1).text()).isEqualTo("<b>raw</b>");
    }

    private Answer html(String text) throws IOException {
        return api.json("sendMessage", Map.of("chat_id", 42, "text", text, "parse_mode", "HTML"));
    }

    @Test
    void messageThreadIdMustBeAnExistingForumTopic() throws IOException {
        TgChat group = bot.group(-1001234567890L, "Ops");
        TgChat forum = bot.forum(-1009876543210L, "Support");
        TgUser bob = bot.user(77, "Bob");
        TgMessage inTopic = bot.userSaysInTopic(forum, 5, bob, "help");
        assertThat(inTopic.threadId()).hasValue(5);

        String notFound = "400 Bad Request: message thread not found";
        assertThat(error(api.json("sendMessage", Map.of("chat_id", group.id(), "text", "x", "message_thread_id", 5))))
                .isEqualTo(notFound);
        assertThat(error(api.json("sendMessage", Map.of("chat_id", forum.id(), "text", "x", "message_thread_id", 6))))
                .isEqualTo(notFound);
        assertThat(error(api.json("sendMessage", Map.of("chat_id", forum.id(), "text", "x", "message_thread_id", 1))))
                .as("General (1) is never a valid thread id")
                .isEqualTo(notFound);
        assertThat(error(api.json("sendMessage", Map.of("chat_id", 42, "text", "x", "message_thread_id", 5))))
                .isEqualTo(notFound);

        Answer ok = api.json("sendMessage", Map.of("chat_id", forum.id(), "text", "on it", "message_thread_id", 5));
        assertThat(ok.result().path("message_thread_id").asInt()).isEqualTo(5);
        assertThat(ok.result().path("is_topic_message").asBoolean()).isTrue();
        assertThat(bot.sentTo(forum.id()).get(0).messageThreadId()).hasValue(5);
    }

    @Test
    void repliesToMissingMessagesFailUnlessAllowedWithoutReply() throws IOException {
        assertThat(error(api.json(
                        "sendMessage",
                        Map.of("chat_id", 42, "text", "x", "reply_parameters", Map.of("message_id", 99)))))
                .isEqualTo("400 Bad Request: message to be replied not found");
        assertThat(error(api.form("sendMessage", Map.of("chat_id", "42", "text", "x", "reply_to_message_id", "99"))))
                .isEqualTo("400 Bad Request: message to be replied not found");
        Answer allowed = api.json(
                "sendMessage",
                Map.of(
                        "chat_id",
                        42,
                        "text",
                        "x",
                        "reply_parameters",
                        Map.of("message_id", 99, "allow_sending_without_reply", true)));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(bot.sent().get(0).replyToMessageId()).isEmpty();
    }

    @Test
    void userMessagesCarryMentionAndCommandEntitiesWithUtf16Offsets() throws IOException {
        TgChat group = bot.group(-100555L, "Team");
        bot.userSays(group, alice, "😀 hi @Switchboard_Test_Bot, ask @someone_else");
        bot.userSays(aliceChat, alice, "/new@switchboard_test_bot please");
        JsonNode updates = api.json("getUpdates", Map.of()).result();
        JsonNode first = updates.get(0).path("message");
        assertThat(first.path("chat").path("type").asText()).isEqualTo("supergroup");
        assertThat(first.path("chat").path("title").asText()).isEqualTo("Team");
        assertThat(first.path("from").path("username").asText()).isEqualTo("alice_w");
        JsonNode mention = first.path("entities").get(0);
        assertThat(mention.path("type").asText()).isEqualTo("mention");
        assertThat(mention.path("offset").asInt()).isEqualTo(6); // the emoji is two UTF-16 units
        assertThat(mention.path("length").asInt()).isEqualTo("@Switchboard_Test_Bot".length());
        assertThat(first.path("entities").get(1).path("offset").asInt())
                .isEqualTo("😀 hi @Switchboard_Test_Bot, ask ".length());
        JsonNode command = updates.get(1).path("message").path("entities").get(0);
        assertThat(command.path("type").asText()).isEqualTo("bot_command");
        assertThat(command.path("offset").asInt()).isZero();
        assertThat(command.path("length").asInt()).isEqualTo("/new@switchboard_test_bot".length());
        assertThat(updates.get(1).path("message").path("entities")).hasSize(1);
        assertThat(updates.get(1).path("message").path("chat").path("type").asText())
                .isEqualTo("private");
    }

    @Test
    void repliesToTheBotNameTheBotAndCarryTheThreadTelegramSends() throws IOException {
        TgChat group = bot.group(-100777L, "Plain group");
        TgChat forum = bot.forum(-100888L, "Forum");
        TgMessage question = bot.userSays(group, alice, "question");
        int answer = api.json(
                        "sendMessage",
                        Map.of(
                                "chat_id",
                                group.id(),
                                "text",
                                "answer",
                                "reply_parameters",
                                Map.of("message_id", question.messageId())))
                .result()
                .path("message_id")
                .asInt();
        TgMessage followUp = bot.userRepliesToBot(group, alice, answer, "thanks");
        bot.userSaysInTopic(forum, 9, alice, "in topic");
        int topicAnswer = api.json("sendMessage", Map.of("chat_id", forum.id(), "text", "yes", "message_thread_id", 9))
                .result()
                .path("message_id")
                .asInt();
        TgMessage topicReply = bot.userRepliesToBot(forum, alice, topicAnswer, "more");

        JsonNode updates = api.json("getUpdates", Map.of()).result();
        JsonNode reply = updates.get(1).path("message");
        assertThat(reply.path("reply_to_message").path("from").path("id").asLong())
                .isEqualTo(bot.id());
        assertThat(reply.path("reply_to_message").path("from").path("is_bot").asBoolean())
                .isTrue();
        assertThat(reply.path("reply_to_message").path("text").asText()).isEqualTo("answer");
        // outside topics, a supergroup reply carries the reply-thread root but is no topic message
        assertThat(reply.path("message_thread_id").asInt()).isEqualTo(question.messageId());
        assertThat(reply.has("is_topic_message")).isFalse();
        assertThat(followUp.threadId()).hasValue(question.messageId());
        JsonNode inTopic = updates.get(3).path("message");
        assertThat(inTopic.path("message_thread_id").asInt()).isEqualTo(9);
        assertThat(inTopic.path("is_topic_message").asBoolean()).isTrue();
        assertThat(topicReply.threadId()).hasValue(9);
        // echoing the non-topic thread id back is the classic mistake Telegram refuses
        assertThat(error(api.json(
                        "sendMessage",
                        Map.of("chat_id", group.id(), "text", "x", "message_thread_id", question.messageId()))))
                .isEqualTo("400 Bad Request: message thread not found");
    }

    @Test
    void aRedeliveryIsANewUpdateCarryingTheSameMessage() throws IOException {
        TgMessage message = bot.userSays(aliceChat, alice, "twice");
        int again = bot.redeliver(message);
        assertThat(again).isGreaterThan(message.updateId());
        JsonNode updates = api.json("getUpdates", Map.of()).result();
        assertThat(updates).hasSize(2);
        assertThat(updates.get(1).path("update_id").asInt()).isEqualTo(again);
        assertThat(updates.get(1).path("message")).isEqualTo(updates.get(0).path("message"));
    }

    @Test
    void messageIdsArePerChatSoTheyRepeatAcrossChats() {
        TgUser bob = bot.user(77, "Bob");
        TgChat bobChat = bot.privateChat(bob);
        assertThat(bot.userSays(aliceChat, alice, "a").messageId())
                .isEqualTo(bot.userSays(bobChat, bob, "b").messageId());
    }

    @Test
    void chatActionsAndReactionsAreAccepted() throws IOException {
        TgMessage message = bot.userSays(aliceChat, alice, "hi");
        assertThat(api.json("sendChatAction", Map.of("chat_id", 42, "action", "typing"))
                        .result()
                        .asBoolean())
                .isTrue();
        assertThat(bot.chatActions()).singleElement().satisfies(action -> {
            assertThat(action.chatId()).isEqualTo(42);
            assertThat(action.action()).isEqualTo("typing");
            assertThat(action.messageThreadId()).isEmpty();
        });
        assertThat(error(api.json("sendChatAction", Map.of("chat_id", 42, "action", "dancing"))))
                .isEqualTo("400 Bad Request: wrong parameter action in request");
        assertThat(error(api.json("sendChatAction", Map.of("chat_id", 1, "action", "typing"))))
                .isEqualTo("400 Bad Request: chat not found");
        Answer reaction = api.json(
                "setMessageReaction",
                Map.of(
                        "chat_id",
                        42,
                        "message_id",
                        message.messageId(),
                        "reaction",
                        List.of(Map.of("type", "emoji", "emoji", "👀"))));
        assertThat(reaction.result().asBoolean()).isTrue();
    }

    // ------------------------------------------------------------------ faults

    @Test
    void errorFaultsAnswerInTelegramsShapeInOrderThenCallsSucceedAgain() throws IOException {
        bot.failNext("SENDMESSAGE", 1, Fault.tooManyRequests(7));
        bot.failNext("sendMessage", 1, Fault.serverError(502));
        bot.failNext("sendMessage", 1, Fault.forbidden("bot was blocked by the user"));
        bot.failNext("sendMessage", 1, Fault.badRequest("Bad Request: chat not found"));
        bot.failNext("sendMessage", 1, Fault.migrateTo(-1001999L));
        bot.failNext("sendMessage", 1, Fault.conflict());
        Map<String, Object> params = Map.of("chat_id", 42, "text", "x");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Answer answer = api.json("sendMessage", params);
            assertThat(answer.body().path("error_code").asInt()).isEqualTo(answer.status());
            bodies.add(answer.body().toString());
        }
        assertThat(bodies)
                .containsExactly(
                        "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\","
                                + "\"parameters\":{\"retry_after\":7}}",
                        "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}",
                        "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}",
                        "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}",
                        "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was upgraded to a"
                                + " supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":-1001999}}",
                        "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by other getUpdates"
                                + " request; make sure that only one bot instance is running\"}");
        assertThat(bot.sent()).isEmpty();
        assertThat(api.json("sendMessage", params).status()).isEqualTo(200);
        assertThat(bot.sent()).hasSize(1);
        assertThat(bot.callCount("sendMessage")).isEqualTo(7);
        assertThat(bot.calls()).extracting(ApiCall::status).containsExactly(429, 502, 403, 400, 400, 409, 200);
    }

    @Test
    void faultsApplyToTheirMethodOnlyAndCountTimes() throws IOException {
        bot.failNext("getUpdates", 2, Fault.serverError(500));
        assertThat(api.json("sendMessage", Map.of("chat_id", 42, "text", "x")).status())
                .isEqualTo(200);
        assertThat(api.json("getUpdates", Map.of()).status()).isEqualTo(500);
        assertThat(api.json("getUpdates", Map.of()).status()).isEqualTo(500);
        assertThat(api.json("getUpdates", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aDroppedConnectionGetsNoAnswerAndTheRequestIsNotHandled() {
        bot.failNext("sendMessage", 1, Fault.dropConnection());
        assertThatThrownBy(() -> api.json("sendMessage", Map.of("chat_id", 42, "text", "lost")))
                .isInstanceOf(IOException.class);
        assertThat(bot.sent()).isEmpty();
        assertThat(bot.callCount("sendMessage")).isEqualTo(1);
        assertThat(bot.calls().get(0).status()).isZero();
    }

    @Test
    void aConnectionDroppedAfterHandlingLeavesTheClientInDoubtButTheMessageDelivered() {
        bot.failNext("sendMessage", 1, Fault.dropConnectionAfterHandling());
        assertThatThrownBy(() -> api.json("sendMessage", Map.of("chat_id", 42, "text", "delivered?")))
                .isInstanceOf(IOException.class);
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly("delivered?");
    }

    @Test
    void aDelayedAnswerIsNormalButLate() throws Exception {
        bot.failNext("getMe", 1, Fault.delay(Duration.ofSeconds(30)));
        CompletableFuture<Answer> late = api.jsonAsync("getMe", Map.of());
        bot.awaitCallCount("getMe", 1, WAIT);
        assertThat(api.json("getMe", Map.of()).status())
                .as("later calls are not delayed")
                .isEqualTo(200);
        assertThat(late).isNotDone();
        bot.failNext("sendMessage", 1, Fault.delay(Duration.ofMillis(200)));
        assertThat(api.json("sendMessage", Map.of("chat_id", 42, "text", "late"))
                        .status())
                .isEqualTo(200);
        assertThat(bot.sent()).hasSize(1);
    }

    @Test
    void aRevokedTokenAnswers401ToEveryCallIncludingAHeldPoll() throws Exception {
        CompletableFuture<Answer> held = api.jsonAsync("getUpdates", Map.of("timeout", 50));
        bot.awaitHeldPoll(WAIT);
        bot.revokeToken();
        assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(401);
        Answer answer = api.json("getMe", Map.of());
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.body().path("description").asText()).isEqualTo("Unauthorized");
        assertThat(api.json("sendMessage", Map.of("chat_id", 42, "text", "x")).status())
                .isEqualTo(401);
    }

    @Test
    void aPollTheClientGivesUpOnIsNoLongerHeld() throws Exception {
        OkHttpClient impatient = new OkHttpClient.Builder()
                .readTimeout(Duration.ofMillis(300))
                .retryOnConnectionFailure(false)
                .build();
        try {
            assertThatThrownBy(() -> impatient
                            .newCall(new Request.Builder()
                                    .url(telegram.apiBaseUrl() + "/bot" + bot.token() + "/getUpdates?timeout=50")
                                    .build())
                            .execute())
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> impatient
                            .newCall(new Request.Builder()
                                    .url(telegram.apiBaseUrl() + "/bot" + bot.token() + "/getUpdates")
                                    .post(okhttp3.RequestBody.create(
                                            "{\"timeout\":50}", okhttp3.MediaType.get("application/json")))
                                    .build())
                            .execute())
                    .isInstanceOf(IOException.class);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((bot.heldPolls() > 0 || telegram.openConnections() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(bot.heldPolls()).isZero();
            assertThat(telegram.openConnections()).isZero();
        } finally {
            impatient.dispatcher().executorService().shutdown();
            impatient.connectionPool().evictAll();
        }
    }

    @Test
    void closeEndsAHeldPollPromptlyAndFreesThePort() throws Exception {
        CompletableFuture<Answer> held = api.jsonAsync("getUpdates", Map.of("timeout", 60));
        bot.awaitHeldPoll(WAIT);
        assertThat(telegram.openConnections()).isPositive();
        long started = System.nanoTime();
        telegram.close();
        assertThatThrownBy(() -> held.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(bot.heldPolls()).isZero();
        assertThat(telegram.openConnections()).isZero();
        try (var socket = new java.net.ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", telegram.port()));
        }
    }

    @Test
    void awaitSentListsWhatWasSentOnTimeout() throws IOException {
        api.json("sendMessage", Map.of("chat_id", 42, "text", "only one"));
        assertThatThrownBy(() -> bot.awaitSent(2, Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected at least 2")
                .hasMessageContaining("only one");
    }

    /** "status description" of an error answer. */
    private static String error(Answer answer) {
        assertThat(answer.body().path("ok").asBoolean()).isFalse();
        assertThat(answer.body().path("error_code").asInt()).isEqualTo(answer.status());
        return answer.status() + " " + answer.body().path("description").asText();
    }
}
