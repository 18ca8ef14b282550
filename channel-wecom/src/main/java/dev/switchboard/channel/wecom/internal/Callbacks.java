package dev.switchboard.channel.wecom.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.InboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a callback the platform pushed ({@code aibot_msg_callback}, {@code aibot_event_callback}) into a {@link
 * Read}: a {@link Message} for the gateway, an {@link EnterChat} to welcome, an {@link Ignored} frame, or a {@link
 * Malformed} one (count it with {@code StatusReporter.skipped}). {@link #isDisconnectedEvent} recognises the
 * {@code disconnected_event} that ends a connection (another client took the bot).
 *
 * <p>The message: conversation = {@code chatid} in a group, the peer's {@code from.userid} in a single chat (single
 * chats carry no {@code chatid}); sender = {@code from.userid}; platform message id = {@code msgid} (the same on every
 * redelivery, so the gateway's dedup recognises one). The text: {@code text.content}; a voice message's transcript;
 * the text parts of a {@code mixed} message joined by line breaks, images summarised ({@code [image]}); other types
 * summarised ({@code [file]}, {@code [video]}, ...). Reasons name ids and fields, never message content.
 */
final class Callbacks {
    /** What one frame turned out to be. */
    sealed interface Read permits Message, EnterChat, Ignored, Malformed {}

    /** A user's message, and the callback {@code req_id} its reply must echo. */
    record Message(InboundMessage message, String reqId) implements Read {
        Message {
            requireNonNull(message, "message is null");
            requireNonNull(reqId, "reqId is null");
        }
    }

    /** A user opened the single chat with the bot; a welcome may answer on {@code reqId} within 5 s. */
    record EnterChat(String reqId, String userid) implements Read {
        EnterChat {
            requireNonNull(reqId, "reqId is null");
            requireNonNull(userid, "userid is null");
        }
    }

    /** Well formed, but nothing for the gateway (another event, another command). */
    record Ignored(String reason) implements Read {
        Ignored {
            requireNonNull(reason, "reason is null");
        }
    }

    /** A callback no correct channel can read: skip it and count it. */
    record Malformed(String reason) implements Read {
        Malformed {
            requireNonNull(reason, "reason is null");
        }
    }

    private final String channelId;
    private final String accountId;

    Callbacks(String channelId, String accountId) {
        this.channelId = requireNonNull(channelId, "channelId is null");
        this.accountId = requireNonNull(accountId, "accountId is null");
    }

    /** Parses a frame's text; a frame that is not a JSON object is {@link Malformed}. */
    static Optional<JsonNode> parse(String text) {
        try {
            JsonNode node = Frames.JSON.readTree(text);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code frame} is the {@code aibot_event_callback} whose {@code body.event.eventtype} is {@code
     * disconnected_event}: another connection subscribed with this bot, and the platform closes this one.
     */
    static boolean isDisconnectedEvent(JsonNode frame) {
        return Frames.text(frame, "cmd").orElse("").equals(Frames.EVENT_CALLBACK)
                && Frames.text(frame.path("body").path("event"), "eventtype")
                        .orElse("")
                        .equals("disconnected_event");
    }

    /** Reads a frame that is not an acknowledgement of a command of ours. */
    Read read(JsonNode frame, Instant receivedAt) {
        String cmd = Frames.text(frame, "cmd").orElse("");
        Optional<String> reqId = Frames.reqId(frame);
        if (!cmd.equals(Frames.MSG_CALLBACK) && !cmd.equals(Frames.EVENT_CALLBACK)) {
            return new Ignored(
                    cmd.isEmpty() ? "a frame without cmd (an acknowledgement nobody waits for)" : "cmd " + cmd);
        }
        String where = cmd + " " + reqId.orElse("(no req_id)");
        JsonNode body = frame.get("body");
        if (body == null || !body.isObject()) {
            return new Malformed(where + ": no body");
        }
        if (cmd.equals(Frames.EVENT_CALLBACK)) {
            return event(body, reqId, where);
        }
        if (reqId.isEmpty()) {
            return new Malformed(where + ": no headers.req_id to reply on");
        }
        return message(body, reqId.get(), where, receivedAt);
    }

    private static Read event(JsonNode body, Optional<String> reqId, String where) {
        JsonNode event = body.path("event");
        String type = Frames.text(event, "eventtype").orElse("");
        switch (type) {
            case "enter_chat" -> {
                Optional<String> userid =
                        Frames.text(body.path("from"), "userid").filter(id -> !id.isBlank());
                if (reqId.isEmpty() || userid.isEmpty()) {
                    return new Malformed(
                            where + ": enter_chat without " + (reqId.isEmpty() ? "req_id" : "from.userid"));
                }
                return new EnterChat(reqId.get(), userid.get());
            }
            default -> {
                return new Ignored("event " + (type.isEmpty() ? "without eventtype" : type));
            }
        }
    }

    private Read message(JsonNode body, String reqId, String where, Instant receivedAt) {
        Optional<String> msgid = Frames.text(body, "msgid").filter(id -> !id.isBlank());
        if (msgid.isEmpty()) {
            return new Malformed(where + ": no msgid");
        }
        where = where + " (msgid " + msgid.get() + ")";
        Optional<String> userid = Frames.text(body.path("from"), "userid").filter(id -> !id.isBlank());
        if (userid.isEmpty()) {
            return new Malformed(where + ": no from.userid");
        }
        boolean group = Frames.text(body, "chattype").orElse("single").equals("group");
        Optional<String> chatid = Frames.text(body, "chatid").filter(id -> !id.isBlank());
        if (group && chatid.isEmpty()) {
            return new Malformed(where + ": a group message without chatid");
        }
        Optional<String> msgtype = Frames.text(body, "msgtype").filter(type -> !type.isBlank());
        if (msgtype.isEmpty()) {
            return new Malformed(where + ": no msgtype");
        }
        Optional<String> text = text(body, msgtype.get());
        if (text.isEmpty()) {
            return new Malformed(where + ": msgtype " + msgtype.get() + " without its content");
        }
        String conversation = group ? chatid.orElseThrow() : userid.get();
        return new Message(
                new InboundMessage(
                        channelId,
                        accountId,
                        conversation,
                        Optional.empty(),
                        userid.get(),
                        msgid.get(),
                        text.get(),
                        receivedAt),
                reqId);
    }

    /** The message's text; empty when the type's content is missing (malformed). */
    private static Optional<String> text(JsonNode body, String msgtype) {
        JsonNode content = body.get(msgtype);
        switch (msgtype) {
            case "text" -> {
                return content == null
                        ? Optional.empty()
                        : Frames.text(content, "content").filter(s -> !s.isEmpty());
            }
            case "voice" -> {
                // the transcript; the SDK names it content, picoclaw reads text
                if (content == null) {
                    return Optional.empty();
                }
                return Frames.text(content, "content")
                        .or(() -> Frames.text(content, "text"))
                        .filter(s -> !s.isEmpty())
                        .or(() -> Optional.of("[voice]"));
            }
            case "mixed" -> {
                JsonNode items = content == null ? null : content.get("msg_item");
                if (items == null || !items.isArray() || items.isEmpty()) {
                    return Optional.empty();
                }
                List<String> parts = new ArrayList<>();
                for (JsonNode item : items) {
                    String type = Frames.text(item, "msgtype").orElse("");
                    if (type.equals("text")) {
                        Frames.text(item.path("text"), "content")
                                .filter(s -> !s.isBlank())
                                .ifPresent(parts::add);
                    } else {
                        parts.add(summary(type.isEmpty() ? "item" : type));
                    }
                }
                return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", parts));
            }
            default -> {
                // image, file, video and types this channel does not know: the agent learns what came
                return Optional.of(summary(msgtype));
            }
        }
    }

    private static String summary(String type) {
        return "[" + type.toLowerCase(Locale.ROOT) + "]";
    }
}
