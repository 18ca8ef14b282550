package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A message the bot sent and the platform accepted (once per {@code uuid}: a resend with the same uuid is not a
 * second message).
 *
 * @param messageId the {@code om_...} id the platform gave it
 * @param msgType {@code text}, {@code post}, {@code interactive}, ...
 * @param content the {@code content} JSON string as the bot sent it
 * @param text what a user reads: the {@code text} of a text message, the texts of a post joined, else the content
 * @param repliedTo the message it replies to ({@code /messages/{id}/reply}); empty for a plain send
 * @param uuid the idempotency key the bot gave, if any
 */
public record BotMessage(
        String messageId,
        String chatId,
        String msgType,
        String content,
        String text,
        Optional<String> repliedTo,
        boolean replyInThread,
        Optional<String> uuid,
        Instant at) {
    public BotMessage {
        requireNonNull(messageId, "messageId is null");
        requireNonNull(chatId, "chatId is null");
        requireNonNull(msgType, "msgType is null");
        requireNonNull(content, "content is null");
        requireNonNull(text, "text is null");
        requireNonNull(repliedTo, "repliedTo is null");
        requireNonNull(uuid, "uuid is null");
        requireNonNull(at, "at is null");
    }
}
