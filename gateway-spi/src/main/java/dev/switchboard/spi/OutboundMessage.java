package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A message for the adapter to deliver, built by the gateway and passed to {@link
 * ChannelAdapter#send(OutboundMessage)}. Its {@link #toString()} leaves the text out.
 *
 * @param conversationId where to send it
 * @param threadId a topic or thread inside the conversation
 * @param replyToPlatformMessageId the inbound message this answers, when it answers one
 * @param text the text to send; the adapter splits it at the platform's length limit
 * @param idempotencyKey stable across retries of the same reply, for platforms that deduplicate
 *     sends (Feishu's {@code uuid})
 */
public record OutboundMessage(
        String conversationId,
        Optional<String> threadId,
        Optional<String> replyToPlatformMessageId,
        String text,
        String idempotencyKey) {
    /**
     * Checks that every part is present.
     *
     * @param conversationId where to send it
     * @param threadId a topic or thread inside the conversation, or empty
     * @param replyToPlatformMessageId the inbound message this answers, or empty
     * @param text the text to send
     * @param idempotencyKey stable across retries of the same reply
     * @throws NullPointerException when a part is null
     */
    public OutboundMessage {
        requireNonNull(conversationId, "conversationId is null");
        requireNonNull(threadId, "threadId is null");
        requireNonNull(replyToPlatformMessageId, "replyToPlatformMessageId is null");
        requireNonNull(text, "text is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
    }

    /**
     * The message without its text, fit for logs.
     *
     * @return conversation, thread, the text's length and the idempotency key
     */
    @Override
    public String toString() {
        return "OutboundMessage[" + conversationId + threadId.map(t -> ":" + t).orElse("") + ", " + text.length()
                + " chars, key=" + idempotencyKey + "]";
    }
}
