package dev.switchboard.testkit.telegram;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * A user message as delivered to the bot. {@code threadId} is the message's {@code message_thread_id} as
 * Telegram sends it: the topic for forum topic messages, and also the reply-thread root for replies in a
 * non-forum supergroup (which carry no {@code is_topic_message}).
 */
public record TgMessage(int messageId, int updateId, TgChat chat, TgUser from, String text, OptionalInt threadId) {
    public TgMessage {
        requireNonNull(chat, "chat is null");
        requireNonNull(from, "from is null");
        requireNonNull(text, "text is null");
        requireNonNull(threadId, "threadId is null");
    }
}
