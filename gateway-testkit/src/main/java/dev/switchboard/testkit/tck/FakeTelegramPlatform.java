package dev.switchboard.testkit.tck;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.Fault;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgMessage;
import dev.switchboard.testkit.telegram.TgUser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * A {@link TckPlatform} on a {@link FakeTelegram}: one bot, the private chats of users 42 (allowed) and 43
 * (not allowed), account keys as in SPEC §2.2 ({@code bot_token}, {@code api_base_url}, {@code
 * allowed_chat_ids}). The platform fault drops the held {@code getUpdates} and the next one; refused sends
 * are {@code sendMessage} answered 500, 429 ({@code retry_after} 1 s) or 400 {@code Bad Request: chat not
 * found}; the malformed payloads are message updates no Telegram channel can read ({@link
 * #malformedPayloads()}).
 */
public final class FakeTelegramPlatform implements TckPlatform {
    private static final long ALLOWED_USER = 42;
    private static final long OTHER_USER = 43;
    /** Message ids of malformed messages: far above what users' messages reach in a test. */
    private static final long MALFORMED_MESSAGE_IDS = 900_000;

    /** Malformed message updates by name, built for a chat id (each a message a user could not have sent). */
    private static final Map<String, LongFunction<ObjectNode>> MALFORMED = malformed();

    private final String channelId;
    private final FakeTelegram telegram = FakeTelegram.start();
    private final FakeBot bot = telegram.addBot(FakeTelegram.newToken(5_550_001), "switchboard_tck_bot");
    private final TgUser allowed = bot.user(ALLOWED_USER, "Allowed");
    private final TgUser other = bot.user(OTHER_USER, "Other");
    private final List<InvalidSettings> invalid = new ArrayList<>();

    private FakeTelegramPlatform(String channelId) {
        this.channelId = requireNonNull(channelId, "channelId is null");
        bot.privateChat(allowed);
        bot.privateChat(other);
        invalid.add(new InvalidSettings("allowed_chat_ids = [" + ALLOWED_USER + "]", "bot_token"));
    }

    /** A fresh fake for channel {@code channelId} (e.g. {@code telegram}). */
    public static FakeTelegramPlatform start(String channelId) {
        return new FakeTelegramPlatform(channelId);
    }

    /** Adds a setting the channel must refuse, with a fragment of the expected error. */
    public FakeTelegramPlatform refuses(String accountHocon, String expectedError) {
        invalid.add(new InvalidSettings(accountHocon, expectedError));
        return this;
    }

    public FakeTelegram telegram() {
        return telegram;
    }

    public FakeBot bot() {
        return bot;
    }

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public String accountHocon(List<String> allowedIds) {
        return "bot_token = \"" + bot.token() + "\"\n"
                + "api_base_url = \"" + telegram.apiBaseUrl() + "\"\n"
                + "allowed_chat_ids = [" + String.join(", ", allowedIds) + "]\n";
    }

    @Override
    public String allowedConversation() {
        return Long.toString(ALLOWED_USER);
    }

    @Override
    public String otherConversation() {
        return Long.toString(OTHER_USER);
    }

    @Override
    public UserMessage userSays(String conversation, String text) {
        TgUser user = user(conversation);
        return new Sent(bot.userSays(bot.privateChat(user), user, text));
    }

    @Override
    public void redeliver(UserMessage message) {
        bot.redeliver(((Sent) message).message());
    }

    @Override
    public List<String> sentTexts(String conversation) {
        return bot.sentTo(Long.parseLong(conversation)).stream()
                .map(SentMessage::text)
                .collect(Collectors.toList());
    }

    @Override
    public void breakReceiveConnection() {
        bot.failNext("getUpdates", 1, Fault.dropConnection());
        bot.dropHeldPoll();
    }

    @Override
    public String refuseNextSend(SendRefusal refusal) {
        Fault fault =
                switch (refusal) {
                    case SERVER_ERROR -> Fault.serverError(500);
                    case RATE_LIMITED -> Fault.tooManyRequests(1);
                    case PERMANENT -> Fault.badRequest("chat not found");
                };
        bot.failNext("sendMessage", 1, fault);
        return switch (refusal) {
            case SERVER_ERROR -> "Internal Server Error";
            case RATE_LIMITED -> "Too Many Requests: retry after 1";
            case PERMANENT -> "Bad Request: chat not found";
        };
    }

    /**
     * {@code a message without a chat} (no {@code chat} object: nowhere to answer) and {@code an entity past
     * the end of its text} (a {@code mention} at offset 2^31-1: offset + length overflows an int).
     */
    @Override
    public List<String> malformedPayloads() {
        return List.copyOf(MALFORMED.keySet());
    }

    @Override
    public void deliverMalformed(String conversation, String name) {
        LongFunction<ObjectNode> payload = MALFORMED.get(name);
        if (payload == null) {
            throw new IllegalArgumentException(
                    "malformed payload: " + name + " (expected one of " + MALFORMED.keySet() + ")");
        }
        bot.rawMessage(payload.apply(user(conversation).id()));
    }

    @Override
    public int openConnections() {
        return telegram.openConnections() + bot.heldPolls();
    }

    @Override
    public List<InvalidSettings> invalidAccountSettings() {
        return List.copyOf(invalid);
    }

    @Override
    public Set<String> platformThreadPrefixes() {
        return Set.of("fake-telegram-");
    }

    @Override
    public void close() {
        telegram.close();
    }

    @Override
    public String toString() {
        List<dev.switchboard.testkit.telegram.ApiCall> calls = bot.calls();
        return "FakeTelegramPlatform[" + channelId + ", open connections " + telegram.openConnections()
                + ", held polls " + bot.heldPolls() + ", last calls "
                + calls.subList(Math.max(0, calls.size() - 5), calls.size()) + "]";
    }

    private TgUser user(String conversation) {
        if (conversation.equals(allowedConversation())) {
            return allowed;
        }
        if (conversation.equals(otherConversation())) {
            return other;
        }
        throw new IllegalArgumentException("unknown conversation " + conversation);
    }

    private static Map<String, LongFunction<ObjectNode>> malformed() {
        Map<String, LongFunction<ObjectNode>> payloads = new LinkedHashMap<>();
        payloads.put("a message without a chat", chat -> {
            ObjectNode message = privateMessage(chat, MALFORMED_MESSAGE_IDS + 1, "no chat");
            message.remove("chat");
            return message;
        });
        payloads.put("an entity past the end of its text", chat -> {
            ObjectNode message = privateMessage(chat, MALFORMED_MESSAGE_IDS + 2, "hello");
            message.putArray("entities")
                    .addObject()
                    .put("type", "mention")
                    .put("offset", Integer.MAX_VALUE)
                    .put("length", 20);
            return message;
        });
        return Collections.unmodifiableMap(payloads); // in insertion order
    }

    /** A text message from the user of the private chat {@code chat}, as Telegram sends it. */
    private static ObjectNode privateMessage(long chat, long messageId, String text) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("message_id", messageId);
        message.putObject("from").put("id", chat).put("is_bot", false).put("first_name", "User " + chat);
        message.putObject("chat").put("id", chat).put("type", "private").put("first_name", "User " + chat);
        message.put("date", System.currentTimeMillis() / 1000);
        message.put("text", text);
        return message;
    }

    private record Sent(TgMessage message) implements UserMessage {}
}
