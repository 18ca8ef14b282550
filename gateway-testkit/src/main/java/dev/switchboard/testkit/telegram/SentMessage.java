package dev.switchboard.testkit.telegram;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * A {@code sendMessage} the fake accepted. {@code text} is the text as the user sees it (after {@code
 * parse_mode} parsing: HTML tags removed, entities decoded); the raw request is in {@link FakeBot#calls()}.
 * {@code messageThreadId} and {@code replyToMessageId} are what the bot asked for ({@code message_thread_id};
 * {@code reply_parameters.message_id} or {@code reply_to_message_id}).
 */
public record SentMessage(
        int messageId,
        long chatId,
        OptionalInt messageThreadId,
        OptionalInt replyToMessageId,
        String text,
        Instant at) {
    public SentMessage {
        requireNonNull(messageThreadId, "messageThreadId is null");
        requireNonNull(replyToMessageId, "replyToMessageId is null");
        requireNonNull(text, "text is null");
        requireNonNull(at, "at is null");
    }
}
