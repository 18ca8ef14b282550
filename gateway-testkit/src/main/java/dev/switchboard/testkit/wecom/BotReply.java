package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One message a user sees from the bot in a conversation: a finished stream reply ({@code aibot_respond_msg}, its
 * content as of the {@code finish:true} frame), a welcome ({@code aibot_respond_welcome_msg}), or a proactive
 * message ({@code aibot_send_msg}). {@code replyTo} is the callback's {@code msgid} but for proactive messages.
 */
public record BotReply(
        Kind kind,
        String conversationId,
        String msgType,
        String content,
        Optional<String> reqId,
        Optional<String> replyTo,
        Optional<String> streamId,
        int frames,
        Instant at) {
    public enum Kind {
        /** {@code aibot_respond_msg} {@code msgtype: stream}, finished. */
        STREAM,
        /** {@code aibot_respond_msg} with a template card or media: one frame, its JSON object as the content. */
        CARD_OR_MEDIA,
        /** {@code aibot_respond_welcome_msg}. */
        WELCOME,
        /** {@code aibot_send_msg}. */
        SEND
    }

    public BotReply {
        requireNonNull(kind, "kind is null");
        requireNonNull(conversationId, "conversationId is null");
        requireNonNull(msgType, "msgType is null");
        requireNonNull(content, "content is null");
        requireNonNull(reqId, "reqId is null");
        requireNonNull(replyTo, "replyTo is null");
        requireNonNull(streamId, "streamId is null");
        requireNonNull(at, "at is null");
    }
}
