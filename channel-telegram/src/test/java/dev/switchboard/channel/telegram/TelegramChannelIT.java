package dev.switchboard.channel.telegram;

import static dev.switchboard.channel.telegram.TelegramGateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.channel.AccountState;
import dev.switchboard.testkit.gateway.SupervisorThreads;
import dev.switchboard.testkit.logging.LogCapture;
import dev.switchboard.testkit.telegram.ApiCall;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.Fault;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgMessage;
import dev.switchboard.testkit.telegram.TgUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Telegram channel inside the real gateway (store, reply loop, echo agent) against the fake Bot API. */
class TelegramChannelIT {
    private static final String ALLOWED = "allowed_chat_ids = [42, -1001, -1002]";
    private static final String SENTINEL = "sentinel";

    @TempDir
    Path stateDir;

    private FakeTelegram telegram;
    private FakeBot bot;
    private TgUser ann;
    private TgChat annChat;
    private LogCapture logs;
    private final List<TelegramGateway> gateways = new ArrayList<>();

    @BeforeEach
    void setUp() {
        logs = LogCapture.attach();
        telegram = FakeTelegram.start();
        bot = telegram.addBot(FakeTelegram.newToken(555000111L), "ops_bot");
        ann = bot.user(42, "Ann");
        annChat = bot.privateChat(ann);
    }

    @AfterEach
    void tearDown() {
        gateways.forEach(TelegramGateway::close);
        telegram.close();
        logs.close();
        // the token travels in every Bot API URL: it must never reach a log line, a status or an error
        assertThat(logs.lines()).noneMatch(line -> line.contains(bot.token()));
        assertThat(logs.lines()).noneMatch(line -> line.contains(secretPart(bot.token())));
    }

    private TelegramGateway start(String keys) {
        TelegramGateway gateway = TelegramGateway.start(stateDir, telegram.apiBaseUrl(), bot, keys);
        gateways.add(gateway);
        return gateway;
    }

    private TelegramGateway startConnected(String keys) {
        return start(keys).awaitState(AccountState.CONNECTED);
    }

    @Test
    void aPrivateMessageIsAnsweredOnceAsAReplyToIt() {
        TelegramGateway gateway = startConnected(ALLOWED);

        TgMessage hello = bot.userSays(annChat, ann, "hello there");

        SentMessage reply = bot.awaitSent(1, WAIT).get(0);
        assertThat(reply.chatId()).isEqualTo(42);
        assertThat(reply.text()).isEqualTo("hello there");
        assertThat(reply.replyToMessageId()).hasValue(hello.messageId());
        assertThat(reply.messageThreadId()).isEmpty();
        await().atMost(WAIT).until(() -> bot.confirmedOffset() == hello.updateId() + 1);
        await().atMost(WAIT).until(() -> gateway.account().outbound() == 1); // channels status OUT
        assertThat(gateway.account().inbound()).isEqualTo(1);
        // the reply loop showed "typing..." while the agent worked
        await().atMost(WAIT).until(() -> !bot.chatActions().isEmpty());
        assertThat(bot.chatActions().get(0).chatId()).isEqualTo(42);
        assertThat(bot.chatActions().get(0).action()).isEqualTo("typing");
        assertThat(bot.callCount("deleteWebhook")).isEqualTo(1);
        assertThat(bot.callCount("getMe")).isGreaterThanOrEqualTo(1);
        awaitSentinel(annChat, 2);
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly("hello there", SENTINEL);
    }

    @Test
    void inGroupsOnlyMessagesAddressedToTheBotAreAnswered() {
        startConnected(ALLOWED);
        TgChat group = bot.group(-1001, "Ops");

        bot.userSays(group, ann, "just chatting among humans");
        bot.userSays(group, ann, "@ops_bot status please");
        SentMessage answer = bot.awaitSent(1, WAIT).get(0);
        bot.userRepliesToBot(group, ann, answer.messageId(), "and the disk?");
        bot.userSays(group, ann, "/new@someone_else_bot");

        bot.userSays(group, ann, "@ops_bot " + SENTINEL);
        List<SentMessage> sent = bot.awaitSent(3, WAIT);
        assertThat(sent).extracting(SentMessage::text).containsExactly("status please", "and the disk?", SENTINEL);
        assertThat(sent).allSatisfy(m -> assertThat(m.chatId()).isEqualTo(-1001));
    }

    @Test
    void forumTopicRepliesCarryTheTopicAndGeneralRepliesDoNot() {
        startConnected(ALLOWED + "\nrequire_mention = false");
        TgChat forum = bot.forum(-1002, "Support");

        TgMessage inTopic = bot.userSaysInTopic(forum, 7, ann, "topic question");
        List<SentMessage> first = bot.awaitSent(1, WAIT);
        bot.userSays(forum, ann, "general question");
        List<SentMessage> both = bot.awaitSent(2, WAIT);

        assertThat(first.get(0).messageThreadId()).hasValue(7);
        assertThat(first.get(0).replyToMessageId()).hasValue(inTopic.messageId());
        assertThat(both.get(1).text()).isEqualTo("general question");
        assertThat(both.get(1).messageThreadId()).isEqualTo(OptionalInt.empty());
    }

    @Test
    void aLongReplyIsSplitAtTelegramsLimitInOrderWithoutBreakingEmoji() {
        startConnected(ALLOWED);
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 9_000; i++) {
            text.append("line ").append(i).append(" \uD83D\uDE80 with some words\n");
        }
        String longText = text.toString().strip();

        TgMessage question = bot.userSays(annChat, ann, longText);

        List<SentMessage> parts = bot.awaitSent(3, WAIT);
        assertThat(parts).hasSize(3);
        assertThat(parts).allSatisfy(part -> assertThat(part.text().length()).isLessThanOrEqualTo(4096));
        assertThat(String.join("\n", parts.stream().map(SentMessage::text).toList()))
                .isEqualTo(longText);
        assertThat(parts.get(0).replyToMessageId()).hasValue(question.messageId());
        assertThat(parts.get(1).replyToMessageId()).isEmpty();
    }

    @Test
    void theOffsetSurvivesARestartAndRedeliveriesAreAnsweredOnce() {
        TelegramGateway first = startConnected(ALLOWED);
        TgMessage one = bot.userSays(annChat, ann, "one");
        bot.awaitSent(1, WAIT);
        await().atMost(WAIT).until(() -> bot.confirmedOffset() == one.updateId() + 1);
        first.close();

        // while the gateway is down: a new message, and Telegram redelivering "one" (same message id)
        TgMessage two = bot.userSays(annChat, ann, "two");
        bot.redeliver(one);
        startConnected(ALLOWED);

        bot.awaitSent(2, WAIT);
        await().atMost(WAIT).until(() -> bot.pendingUpdates() == 0);
        TgMessage three = bot.userSays(annChat, ann, "three");
        bot.awaitSent(3, WAIT);
        await().atMost(WAIT).until(() -> bot.confirmedOffset() == three.updateId() + 1);
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly("one", "two", "three");
        assertThat(two.updateId()).isGreaterThan(one.updateId());
        // the restarted poller asked from the stored offset: never for what was already confirmed
        assertThat(getUpdatesOffsets()).doesNotContain((long) one.updateId());
    }

    @Test
    void aCompetingPollerIsAVisibleDegradedStateWithBackoffAndRecovers() {
        TelegramGateway gateway = startConnected(ALLOWED);
        int before = bot.callCount("getUpdates");

        bot.failNext("getUpdates", 3, Fault.conflict());

        await().atMost(WAIT).until(() -> gateway.account().state() == AccountState.DEGRADED);
        assertThat(gateway.account().lastError())
                .hasValueSatisfying(error -> assertThat(error).contains("another getUpdates poller or a webhook"));
        gateway.awaitState(AccountState.CONNECTED);
        // three conflicts took backoffs of at least 0.5 s + 1 s + 2 s: a handful of polls, not a hot loop
        assertThat(bot.callCount("getUpdates") - before).isLessThan(10);
        List<ApiCall> conflicts = bot.calls().stream()
                .filter(call -> call.method().equalsIgnoreCase("getUpdates") && call.status() == 409)
                .toList();
        assertThat(conflicts).hasSize(3);
        assertThat(Duration.between(conflicts.get(0).at(), conflicts.get(2).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1400));

        bot.userSays(annChat, ann, "still there?");
        assertThat(bot.awaitSent(1, WAIT).get(0).text()).isEqualTo("still there?");
    }

    @Test
    void aWebhookSetElsewhereDegradesTheAccountWithoutAHotLoop() {
        TelegramGateway gateway = startConnected(ALLOWED);

        bot.setWebhookExternally("https://elsewhere.example/hook");

        await().atMost(WAIT).until(() -> gateway.account().state() == AccountState.DEGRADED);
        // each retry waits its backoff (at least 0.5 s, then 1 s): a hot loop would leave no gap
        await().atMost(WAIT).until(() -> conflictingPolls().size() >= 3);
        List<ApiCall> conflicts = conflictingPolls();
        for (int i = 1; i < 3; i++) {
            assertThat(Duration.between(
                            conflicts.get(i - 1).at(), conflicts.get(i).at()))
                    .as("wait before retry %d", i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(500L << (i - 1)).minusMillis(50));
        }
        assertThat(gateway.account().lastError())
                .hasValueSatisfying(error -> assertThat(error).contains("409").contains("webhook"));
    }

    @Test
    void floodControlOnASendIsHonouredBeforeTheRetry() {
        startConnected(ALLOWED);
        bot.failNext("sendMessage", 1, Fault.tooManyRequests(2));

        bot.userSays(annChat, ann, "slowly");

        assertThat(bot.awaitSent(1, WAIT).get(0).text()).isEqualTo("slowly");
        List<ApiCall> sends = bot.calls().stream()
                .filter(call -> call.method().equalsIgnoreCase("sendMessage"))
                .toList();
        assertThat(sends).extracting(ApiCall::status).containsExactly(429, 200);
        assertThat(Duration.between(sends.get(0).at(), sends.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aRevokedTokenFailsTheAccountPermanentlyWithAClearReason() {
        TelegramGateway gateway = startConnected(ALLOWED);

        bot.revokeToken();

        await().atMost(WAIT).until(() -> gateway.account().state() == AccountState.FAILED);
        assertThat(gateway.account().lastError()).hasValueSatisfying(error -> assertThat(error)
                .startsWith("Telegram rejected the bot token (401 Unauthorized)")
                .doesNotContain(bot.token()));
        int calls = bot.callCount("getUpdates") + bot.callCount("getMe");
        // the failed adapter was closed before the account showed FAILED; a restart would be scheduled by now
        SupervisorThreads.awaitNothingScheduled("telegram", "main", WAIT);
        assertThat(bot.callCount("getUpdates") + bot.callCount("getMe"))
                .as("a permanent failure is not restarted")
                .isEqualTo(calls);
        assertThat(gateway.account().restarts()).isZero();
        assertThat(gateway.account().state()).isEqualTo(AccountState.FAILED);
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreRetriedUntilTheyPass() {
        TelegramGateway gateway = startConnected(ALLOWED);
        bot.failNext("getUpdates", 1, Fault.serverError(502));
        bot.failNext("getUpdates", 1, Fault.dropConnection());
        bot.failNext("sendMessage", 1, Fault.serverError(500));
        bot.failNext("sendMessage", 1, Fault.dropConnection());

        bot.userSays(annChat, ann, "are you ok?");

        assertThat(bot.awaitSent(1, WAIT)).extracting(SentMessage::text).containsExactly("are you ok?");
        gateway.awaitState(AccountState.CONNECTED);
        awaitSentinel(annChat, 2);
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly("are you ok?", SENTINEL);
        assertThat(bot.calls().stream()
                        .filter(call -> call.method().equalsIgnoreCase("sendMessage"))
                        .count())
                .as("two failed sends, the reply, the sentinel")
                .isEqualTo(4);
    }

    @Test
    void aBlockedUserFailsTheReplyNotTheAccount() {
        TelegramGateway gateway = startConnected(ALLOWED);
        bot.failNext("sendMessage", 1, Fault.forbidden("Forbidden: bot was blocked by the user"));

        bot.userSays(annChat, ann, "bye");

        await().atMost(WAIT).until(() -> gateway.account().failed() == 1);
        awaitSentinel(annChat, 1); // the failure was only for the next send: a retry of "bye" would now go through
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly(SENTINEL);
        assertThat(gateway.account().state()).isEqualTo(AccountState.CONNECTED);
        assertThat(logs.lines()).anyMatch(line -> line.contains("bot was blocked by the user"));
    }

    /**
     * Ann sends {@value #SENTINEL} in {@code chat} and the test waits until the bot has sent {@code total} messages
     * there. Replies in a chat keep their order: whatever else the gateway would send there has been sent by then.
     */
    private void awaitSentinel(TgChat chat, int total) {
        bot.userSays(chat, ann, SENTINEL);
        await().atMost(WAIT).until(() -> bot.sentTo(chat.id()).size() >= total);
        assertThat(bot.sentTo(chat.id()).get(total - 1).text()).isEqualTo(SENTINEL);
    }

    private List<ApiCall> conflictingPolls() {
        return bot.calls().stream()
                .filter(call -> call.method().equalsIgnoreCase("getUpdates") && call.status() == 409)
                .toList();
    }

    private List<Long> getUpdatesOffsets() {
        return bot.calls().stream()
                .filter(call -> call.method().equalsIgnoreCase("getUpdates"))
                .map(call -> offsetOf(call.paramsJson()))
                .filter(offset -> offset != null)
                .toList();
    }

    private static Long offsetOf(String paramsJson) {
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(paramsJson);
            return node.has("offset") ? node.get("offset").asLong() : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String secretPart(String token) {
        return token.substring(token.indexOf(':') + 1);
    }
}
