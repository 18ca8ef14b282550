package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A message received from a chat platform, built by the adapter and handed to {@link InboundSink}.
 * Its {@link #toString()} leaves the text out, so it may be logged.
 *
 * @param channelId provider id
 * @param accountId the account that received it
 * @param conversationId the chat, group or conversation the message belongs to; the allowlist is
 *     matched against it
 * @param threadId a topic or thread inside the conversation, when the platform has one
 * @param senderId the platform's id of the sender
 * @param platformMessageId the platform's id of the message; with channel and account it forms
 *     the dedup key
 * @param text the message text
 * @param receivedAt when the gateway received it
 */
public record InboundMessage(
        String channelId,
        String accountId,
        String conversationId,
        Optional<String> threadId,
        String senderId,
        String platformMessageId,
        String text,
        Instant receivedAt) {
    /**
     * Checks that every part is present.
     *
     * @param channelId provider id
     * @param accountId the account that received it
     * @param conversationId the conversation the allowlist is matched against
     * @param threadId a topic or thread inside the conversation, or empty
     * @param senderId the platform's id of the sender
     * @param platformMessageId the platform's id of the message, unique within the account
     * @param text the message text
     * @param receivedAt when the gateway received it ({@link ChannelContext#clock()})
     * @throws NullPointerException when a part is null
     */
    public InboundMessage {
        requireNonNull(channelId, "channelId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(conversationId, "conversationId is null");
        requireNonNull(threadId, "threadId is null");
        requireNonNull(senderId, "senderId is null");
        requireNonNull(platformMessageId, "platformMessageId is null");
        requireNonNull(text, "text is null");
        requireNonNull(receivedAt, "receivedAt is null");
    }

    /**
     * The message without its text, fit for logs.
     *
     * @return channel, account, conversation, thread, platform id and the text's length
     */
    @Override
    public String toString() {
        // message bodies stay out of logs (CONVENTIONS: never log message bodies at INFO)
        return "InboundMessage[" + channelId + ":" + accountId + ":" + conversationId
                + threadId.map(t -> ":" + t).orElse("") + " #" + platformMessageId + ", " + text.length()
                + " chars]";
    }
}
