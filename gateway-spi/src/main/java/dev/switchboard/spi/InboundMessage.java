package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A message received from a chat platform.
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

    @Override
    public String toString() {
        // message bodies stay out of logs (CONVENTIONS: never log message bodies at INFO)
        return "InboundMessage[" + channelId + ":" + accountId + ":" + conversationId
                + threadId.map(t -> ":" + t).orElse("") + " #" + platformMessageId + ", " + text.length()
                + " chars]";
    }
}
