package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.SendException;
import dev.switchboard.testkit.tck.RecordingChannelContext;
import dev.switchboard.testkit.telegram.ChatAction;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.Fault;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgMessage;
import dev.switchboard.testkit.telegram.TgUser;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter on its own, with a recording context, against the fake Bot API. */
class TelegramAdapterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TelegramChannelProvider provider = new TelegramChannelProvider();
    private FakeTelegram telegram;
    private FakeBot bot;
    private RecordingChannelContext context;
    private ChannelAdapter adapter;

    @BeforeEach
    void setUp() {
        telegram = FakeTelegram.start();
        bot = telegram.addBot(FakeTelegram.newToken(555000222L), "helper_bot");
    }

    @AfterEach
    void tearDown() {
        if (adapter != null) {
            adapter.close();
        }
        if (context != null) {
            context.close();
        }
        telegram.close();
    }

    private ChannelAdapter adapter(String token) {
        context = context(
                token,
                "allowed_chat_ids = [\"*\"], poll_timeout_seconds = 1, api_base_url = \"" + telegram.apiBaseUrl()
                        + "\"");
        adapter = provider.create(context);
        return adapter;
    }

    @Test
    void probeAsksGetMeAndNamesTheBot() {
        ProbeResult probe = adapter(bot.token()).probe();

        assertThat(probe.ok()).isTrue();
        assertThat(probe.detail()).contains("@helper_bot").contains("555000222");
        assertThat(bot.callCount("getMe")).isEqualTo(1);
    }

    @Test
    void probeWithARevokedTokenFailsWithoutShowingIt() {
        bot.revokeToken();

        ProbeResult probe = adapter(bot.token()).probe();

        assertThat(probe.ok()).isFalse();
        assertThat(probe.detail()).contains("401").doesNotContain(bot.token());
    }

    @Test
    void probeOfAnUnreachableServerSaysSoWithoutTheToken() {
        String url = telegram.apiBaseUrl();
        telegram.close();
        context = context(bot.token(), "allowed_chat_ids = [1], api_base_url = \"" + url + "\"");
        adapter = provider.create(context);

        ProbeResult probe = adapter.probe();

        assertThat(probe.ok()).isFalse();
        assertThat(probe.detail()).startsWith("cannot reach Telegram at " + url).doesNotContain(bot.token());
    }

    @Test
    void typingSendsTheChatActionToTheTopic() {
        TgUser ann = bot.user(42, "Ann");
        bot.privateChat(ann);
        TgChat forum = bot.forum(-1002, "Support");
        bot.userSaysInTopic(forum, 7, ann, "hi");

        adapter(bot.token()).typing("-1002", Optional.of("7"));
        adapter.typing("42", Optional.empty());

        await().atMost(WAIT).until(() -> bot.chatActions().size() == 2);
        assertThat(bot.chatActions())
                .extracting(ChatAction::chatId, ChatAction::action)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(-1002L, "typing"),
                        org.assertj.core.groups.Tuple.tuple(42L, "typing"));
        assertThat(bot.chatActions().stream()
                        .filter(a -> a.chatId() == -1002L)
                        .findFirst()
                        .orElseThrow()
                        .messageThreadId())
                .hasValue(7);
    }

    @Test
    void anUnexpectedFailureInTheWorkerIsReportedForARestartNotLeftConnected() throws Exception {
        TgUser ann = bot.user(42, "Ann");
        TgChat chat = bot.privateChat(ann);
        adapter(bot.token());
        context.decision = message -> {
            throw new IllegalStateException("a bug in the sink");
        };
        adapter.start();

        TgMessage hello = bot.userSays(chat, ann, "hello");

        await().atMost(WAIT).until(() -> context.states.stream()
                .anyMatch(state -> state.startsWith("failed: the Telegram worker stopped unexpectedly")
                        && state.contains("a bug in the sink")));
        assertThat(context.states).noneMatch(state -> state.startsWith("failed permanently"));
        assertThat(bot.confirmedOffset()).isLessThanOrEqualTo(hello.updateId()); // not confirmed: it comes again
    }

    @Test
    void aMessageTheGatewayCannotStoreIsNotConfirmedAndComesAgain() throws Exception {
        TgUser ann = bot.user(42, "Ann");
        TgChat chat = bot.privateChat(ann);
        AtomicInteger rejections = new AtomicInteger();
        adapter(bot.token());
        context.decision = message -> {
            if (rejections.getAndIncrement() < 2) {
                throw new InboundRejectedException("store unavailable", null);
            }
            return InboundSink.Result.ACCEPTED;
        };
        adapter.start();

        TgMessage hello = bot.userSays(chat, ann, "hello");

        await().atMost(WAIT).until(() -> context.accepted.size() == 1);
        assertThat(context.accepted.get(0).platformMessageId()).endsWith(":42:" + hello.messageId());
        assertThat(context.states).anyMatch(state -> state.startsWith("degraded: the gateway could not store"));
        await().atMost(WAIT).until(() -> bot.confirmedOffset() == hello.updateId() + 1);
        assertThat(context.cursors).containsEntry("offset", Long.toString(hello.updateId() + 1));
        assertThat(rejections.get()).isEqualTo(3);
    }

    @Test
    void anOffsetStoredForAnotherBotIsNotUsedForThisOne() throws Exception {
        TgUser ann = bot.user(42, "Ann");
        TgChat chat = bot.privateChat(ann);
        TgMessage first = bot.userSays(chat, ann, "first message to the new bot");
        adapter(bot.token());
        // the account polled another bot before its token was edited: far past this bot's updates
        context.cursors.put("bot", Long.toString(bot.id() + 1));
        context.cursors.put("offset", Long.toString(first.updateId() + 1000));
        adapter.start();

        await().atMost(WAIT).until(() -> context.accepted.size() == 1);
        assertThat(context.accepted.get(0).text()).isEqualTo("first message to the new bot");
        assertThat(context.accepted.get(0).platformMessageId()).isEqualTo(bot.id() + ":42:" + first.messageId());
        await().atMost(WAIT).until(() -> bot.confirmedOffset() == first.updateId() + 1);
        assertThat(context.cursors)
                .containsEntry("bot", Long.toString(bot.id()))
                .containsEntry("offset", Long.toString(first.updateId() + 1));
    }

    @Test
    void nonTextUpdatesAreConfirmedAndSkipped() throws Exception {
        TgUser ann = bot.user(42, "Ann");
        TgChat group = bot.group(-1001, "Ops");
        adapter(bot.token()).start();

        TgMessage ignored = bot.userSays(group, ann, "not for the bot"); // require_mention, no mention

        await().atMost(WAIT).until(() -> bot.confirmedOffset() == ignored.updateId() + 1);
        assertThat(context.accepted).isEmpty();
    }

    @Test
    void aGroupUpgradeNamesTheNewChatId() {
        bot.failNext("sendMessage", 1, Fault.migrateTo(-1009876543210L));
        adapter(bot.token());

        assertThatThrownBy(
                        () -> adapter.send(new OutboundMessage("-1001", Optional.empty(), Optional.empty(), "x", "k1")))
                .isInstanceOfSatisfying(
                        SendException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("-1009876543210")
                .hasMessageContaining("migrate_to_chat_id")
                .hasMessageContaining("allowed_chat_ids");
    }

    @Test
    void aMalformedTokenFailsPermanentlyWithoutShowingIt() throws Exception {
        adapter("bot-token-with-no-colon-at-all").start();

        assertThat(context.states)
                .singleElement()
                .asString()
                .startsWith("failed permanently: bot_token: not a Telegram bot token")
                .doesNotContain("bot-token-with-no-colon-at-all");
        assertThat(bot.calls()).isEmpty();
    }

    private static RecordingChannelContext context(String token, String hocon) {
        return new RecordingChannelContext(new AccountSettings(
                "telegram", "main", ConfigFactory.parseString(hocon), Map.of("bot_token", Secret.of(token))));
    }
}
