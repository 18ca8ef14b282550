package dev.switchboard.channel.telegram.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.InboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a Bot API {@code Update} into the gateway's {@link InboundMessage}, or nothing when the update
 * is not for the agent: not a text message, sent by a bot, a channel post, or (with {@code
 * require_mention}) a group message that does not address this bot.
 *
 * <p>Ids follow the reply loop's needs: the conversation is the chat id; the thread is {@code
 * message_thread_id} only for real forum-topic messages ({@code is_topic_message}); the platform
 * message id {@code <bot_id>:<chat_id>:<message_id>} is the same on every redelivery of a message, so the
 * gateway's dedup recognises it.
 */
public final class UpdateReader {
    private final String channelId;
    private final String accountId;
    private final boolean requireMention;
    private final BotIdentity bot;

    /** Who the bot is, from {@code getMe}: mentions are matched against it. */
    public record BotIdentity(long id, String username) {
        public BotIdentity {
            requireNonNull(username, "username is null");
        }
    }

    public UpdateReader(String channelId, String accountId, boolean requireMention, BotIdentity bot) {
        this.channelId = requireNonNull(channelId, "channelId is null");
        this.accountId = requireNonNull(accountId, "accountId is null");
        this.requireMention = requireMention;
        this.bot = requireNonNull(bot, "bot is null");
    }

    /**
     * The message of {@code update}, or empty when it is not for the agent.
     *
     * @throws MalformedUpdateException when the update breaks the Bot API's promises (an entity
     *     outside the text): the caller skips it rather than guess
     */
    public Optional<InboundMessage> read(JsonNode update, Instant receivedAt) throws MalformedUpdateException {
        JsonNode message = update.path("message");
        if (!message.isObject() || !message.path("text").isTextual()) {
            return Optional.empty(); // photos, stickers, service messages, other update types
        }
        checkEntities(message.path("entities"), message.path("text").asText().length());
        JsonNode from = message.path("from");
        if (from.path("is_bot").asBoolean(false)) {
            return Optional.empty();
        }
        JsonNode chat = message.path("chat");
        String chatType = chat.path("type").asText("");
        if (!isId(chat.path("id"))) {
            throw new MalformedUpdateException(
                    "message.chat.id is " + UpdatePage.shown(chat.path("id")) + " (expected: an integer chat id)");
        }
        if (!isId(message.path("message_id"))) {
            throw new MalformedUpdateException("message.message_id is " + UpdatePage.shown(message.path("message_id"))
                    + " (expected: an integer message id)");
        }
        boolean group = chatType.equals("group") || chatType.equals("supergroup");
        if (!group && !chatType.equals("private")) {
            return Optional.empty(); // channels: the bot answers people, not broadcasts
        }
        String text = message.path("text").asText();
        List<int[]> ownMentions = ownMentions(message, text);
        if (group && requireMention && !addressed(message, ownMentions)) {
            return Optional.empty();
        }
        String chatId = Long.toString(chat.path("id").asLong());
        Optional<String> thread = message.path("is_topic_message").asBoolean(false)
                        && message.path("message_thread_id").canConvertToLong()
                ? Optional.of(Long.toString(message.path("message_thread_id").asLong()))
                : Optional.empty();
        String sender = from.path("id").canConvertToLong()
                ? Long.toString(from.path("id").asLong())
                : message.path("sender_chat").path("id").asText(chatId);
        return Optional.of(new InboundMessage(
                channelId,
                accountId,
                chatId,
                thread,
                sender,
                bot.id() + ":" + chatId + ":" + message.path("message_id").asLong(),
                withoutOwnMentions(text, ownMentions),
                receivedAt));
    }

    /**
     * Every entity lies inside the text: {@code offset >= 0}, {@code length >= 1} and {@code offset +
     * length <= text length}, counted in UTF-16 units, as the Bot API promises. Checked in {@code
     * long}, so an offset near 2^31 cannot overflow into a range that looks valid.
     */
    private static void checkEntities(JsonNode entities, int textLength) throws MalformedUpdateException {
        if (entities.isMissingNode() || entities.isNull()) {
            return;
        }
        if (!entities.isArray()) {
            throw new MalformedUpdateException("entities is not an array (expected: a list of MessageEntity)");
        }
        for (int i = 0; i < entities.size(); i++) {
            JsonNode entity = entities.get(i);
            JsonNode offset = entity.path("offset");
            JsonNode length = entity.path("length");
            if (!isWholeNumber(offset) || !isWholeNumber(length)) {
                throw new MalformedUpdateException("entity " + i + ": offset " + offset + ", length " + length
                        + " (expected: integers 0.." + Integer.MAX_VALUE + ", UTF-16 positions inside the text)");
            }
            long start = offset.asLong();
            long size = length.asLong();
            if (start < 0 || size < 1 || start + size > textLength) {
                throw new MalformedUpdateException("entity " + i + ": offset " + start + " + length " + size
                        + " is outside the text (expected: 0 <= offset, 1 <= length, offset + length <= "
                        + textLength + " UTF-16 units)");
            }
        }
    }

    private static boolean isId(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong();
    }

    /** An integer that fits an {@code int} (so two add up without overflow in a long): not a fraction, not a string. */
    private static boolean isWholeNumber(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToInt();
    }

    private boolean addressed(JsonNode message, List<int[]> ownMentions) {
        if (!ownMentions.isEmpty()) {
            return true;
        }
        JsonNode repliedTo = message.path("reply_to_message").path("from");
        if (repliedTo.path("id").asLong(Long.MIN_VALUE) == bot.id()) {
            return true;
        }
        for (JsonNode entity : message.path("entities")) {
            String type = entity.path("type").asText();
            if (type.equals("text_mention") && entity.path("user").path("id").asLong(Long.MIN_VALUE) == bot.id()) {
                return true;
            }
            if (type.equals("bot_command") && entity.path("offset").asInt(-1) == 0) {
                String command = slice(message.path("text").asText(), entity);
                int at = command.indexOf('@');
                // a bare /command goes to every bot in the group; /command@otherbot does not
                if (at < 0 || command.substring(at + 1).equalsIgnoreCase(bot.username())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The UTF-16 ranges of {@code @username} mentions of this bot, including the {@code @username}
     * suffix of a {@code /command@username}, which the agent does not need to see.
     */
    private List<int[]> ownMentions(JsonNode message, String text) {
        List<int[]> ranges = new ArrayList<>();
        if (bot.username().isEmpty()) {
            return ranges;
        }
        String handle = "@" + bot.username().toLowerCase(Locale.ROOT);
        for (JsonNode entity : message.path("entities")) {
            String type = entity.path("type").asText();
            int offset = entity.path("offset").asInt(-1);
            int length = entity.path("length").asInt(-1);
            if (offset < 0 || length <= 0 || offset + length > text.length()) {
                continue;
            }
            String slice = text.substring(offset, offset + length).toLowerCase(Locale.ROOT);
            if (type.equals("mention") && slice.equals(handle)) {
                ranges.add(new int[] {offset, offset + length});
            } else if (type.equals("bot_command") && slice.endsWith(handle)) {
                ranges.add(new int[] {offset + length - handle.length(), offset + length});
            }
        }
        return ranges;
    }

    /** The text with this bot's mentions removed, so "@bot /new" and "/new@bot" reach the gateway as "/new". */
    private static String withoutOwnMentions(String text, List<int[]> ranges) {
        if (ranges.isEmpty()) {
            return text;
        }
        StringBuilder result = new StringBuilder(text.length());
        int from = 0;
        for (int[] range :
                ranges.stream().sorted((a, b) -> Integer.compare(a[0], b[0])).toList()) {
            if (range[0] < from) {
                continue;
            }
            result.append(text, from, range[0]);
            from = range[1];
        }
        result.append(text.substring(from));
        String stripped = result.toString().replaceAll("[ \\t]{2,}", " ").strip();
        return stripped.isEmpty() ? text : stripped;
    }

    private static String slice(String text, JsonNode entity) {
        int offset = entity.path("offset").asInt(0);
        int length = entity.path("length").asInt(0);
        if (offset < 0 || length <= 0 || offset + length > text.length()) {
            return "";
        }
        return text.substring(offset, offset + length);
    }
}
