package dev.switchboard.cli.gateway;

import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgMessage;
import dev.switchboard.testkit.telegram.TgUser;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * A {@link CrashPlatform} over the fake Telegram Bot API: the gateway's real {@code telegram} channel
 * long-polls it as account {@value #ACCOUNT}. Each conversation of a test is the private chat of a
 * user of its own; the first {@value #ALLOWED_CHATS} such chats are in {@code allowed_chat_ids},
 * {@link #strangerChat()} is not.
 */
final class FakeTelegramPlatform implements CrashPlatform {
    static final String ACCOUNT = "ops";
    static final int ALLOWED_CHATS = 16;
    private static final long FIRST_USER_ID = 1001;
    private static final long STRANGER_ID = 999_999;

    private final FakeTelegram telegram;
    private final FakeBot bot;
    private final Map<String, TgChat> chats = new HashMap<>();
    private final Map<Long, TgUser> users = new ConcurrentHashMap<>();
    private final AtomicLong lastUpdateId = new AtomicLong();
    /** Maps the fake's wall-clock timestamps onto this JVM's {@link System#nanoTime()}. */
    private final long baseNanos = System.nanoTime();

    private final Instant baseInstant = Instant.now();

    FakeTelegramPlatform() {
        telegram = FakeTelegram.start();
        bot = telegram.addBot(FakeTelegram.newToken(7_100_200_300L), "switchboard_e2e_bot");
    }

    FakeBot bot() {
        return bot;
    }

    /** The bot token: a secret that must never show up in the gateway's output. */
    String token() {
        return bot.token();
    }

    @Override
    public String gatewayConfig() {
        String allowed = LongStream.range(FIRST_USER_ID, FIRST_USER_ID + ALLOWED_CHATS)
                .mapToObj(Long::toString)
                .collect(Collectors.joining(", "));
        return """
                telegram.accounts.%s {
                  bot_token = "%s"
                  api_base_url = "%s"
                  allowed_chat_ids = [%s]
                }
                """
                .formatted(ACCOUNT, bot.token(), telegram.apiBaseUrl(), allowed);
    }

    /** The private chat the test calls {@code conversation}, created on first use; allowed while there is room. */
    synchronized TgChat chat(String conversation) {
        return chats.computeIfAbsent(conversation, name -> {
            if (chats.size() == ALLOWED_CHATS) {
                throw new IllegalStateException(
                        "conversation " + name + ": only " + ALLOWED_CHATS + " chats are allowed");
            }
            return privateChat(bot.user(FIRST_USER_ID + chats.size(), name));
        });
    }

    /** A private chat that is not in {@code allowed_chat_ids}. */
    TgChat strangerChat() {
        return privateChat(bot.user(STRANGER_ID, "Stranger"));
    }

    private TgChat privateChat(TgUser user) {
        users.put(user.id(), user);
        return bot.privateChat(user);
    }

    /** The user of a private chat made here. */
    TgUser userOf(TgChat chat) {
        return users.get(chat.id());
    }

    @Override
    public MessageKey inject(String conversation, String text) {
        TgChat chat = chat(conversation);
        TgMessage message = bot.userSays(chat, userOf(chat), text);
        lastUpdateId.accumulateAndGet(message.updateId(), Math::max);
        return key(chat.id(), message.messageId());
    }

    /** The update id of the last message {@link #inject} made; 0 before the first. */
    long lastUpdateId() {
        return lastUpdateId.get();
    }

    /**
     * The gateway's key of a Telegram message: conversation = chat id, platform message id = {@code
     * <bot>:<chat>:<message>}.
     */
    private MessageKey key(long chatId, int messageId) {
        return new MessageKey(Long.toString(chatId), bot().id() + ":" + chatId + ":" + messageId);
    }

    /** The replies the fake accepted; a part of a split reply after the first one answers no message and is left out. */
    @Override
    public List<Delivery> deliveries() {
        return bot.sent().stream()
                .filter(sent -> sent.replyToMessageId().isPresent())
                .map(sent -> new Delivery(
                        key(sent.chatId(), sent.replyToMessageId().getAsInt()), sent.text(), nanos(sent.at())))
                .toList();
    }

    /** {@code at} (the fake's clock) as a {@link System#nanoTime()} of this JVM. */
    long nanos(Instant at) {
        return baseNanos + Duration.between(baseInstant, at).toNanos();
    }

    /** Every message the bot sent to {@code chat}, in order. */
    List<SentMessage> sentTo(TgChat chat) {
        return bot.sentTo(chat.id());
    }

    @Override
    public void close() {
        telegram.close();
    }
}
