package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

/**
 * A message a user sent to the bot, as the fake pushed it in an {@code im.message.receive_v1} event.
 *
 * @param eventId the envelope's {@code header.event_id}; a re-push of the same event carries the same one
 * @param messageId the message's {@code om_...} id, what a reply names
 * @param content the {@code content} JSON string as sent (e.g. {@code {"text":"@_user_1 hello"}})
 * @param envelope the whole schema-2.0 event JSON as pushed
 */
public record UserMessage(
        String eventId,
        String messageId,
        FeishuChat chat,
        FeishuUser sender,
        String messageType,
        String content,
        String envelope) {
    public UserMessage {
        requireNonNull(eventId, "eventId is null");
        requireNonNull(messageId, "messageId is null");
        requireNonNull(chat, "chat is null");
        requireNonNull(sender, "sender is null");
        requireNonNull(messageType, "messageType is null");
        requireNonNull(content, "content is null");
        requireNonNull(envelope, "envelope is null");
    }
}
