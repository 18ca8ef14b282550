package dev.switchboard.testkit.tck;

import static java.util.Objects.requireNonNull;

import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.Fault;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgMessage;
import dev.switchboard.testkit.telegram.TgUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@link TckPlatform} on a {@link FakeTelegram}: one bot, the private chats of users 42 (allowed) and 43
 * (not allowed), account keys as in SPEC §2.2 ({@code bot_token}, {@code api_base_url}, {@code
 * allowed_chat_ids}). The platform fault drops the held {@code getUpdates} and the next one.
 */
public final class FakeTelegramPlatform implements TckPlatform {
    private static final long ALLOWED_USER = 42;
    private static final long OTHER_USER = 43;

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

    private record Sent(TgMessage message) implements UserMessage {}
}
