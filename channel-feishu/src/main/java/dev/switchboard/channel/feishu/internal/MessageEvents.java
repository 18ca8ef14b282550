package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spi.InboundMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an {@code im.message.receive_v1} event envelope (schema 2.0, as the long connection's reassembled
 * payload or a decrypted webhook body carries it) into a {@link Read}: a {@link Message} for the gateway, an
 * {@link Ignored} event (acknowledge it and move on) or a {@link Malformed} one (acknowledge it too, it will never
 * read better, and count it with {@code StatusReporter.skipped}).
 *
 * <p>Input: the envelope's UTF-8 JSON bytes ({@link #read(byte[], Instant)}), which this class parses itself
 * under its own limits ({@link #MAX_ENVELOPE_BYTES}, {@link #MAX_NESTING}), or an envelope a caller has already
 * parsed with {@link #parse(byte[])} ({@link #read(JsonNode, Instant)}), e.g. the webhook receiver that looks at
 * it first for {@code url_verification} and the token.
 *
 * <p>The message: conversation = {@code chat_id}; thread = {@code thread_id} when the message is in a topic
 * thread; sender = the sender's {@code open_id}; platform message id = {@code message_id}, the same on every
 * re-push of the event, so the gateway's dedup recognises a re-push (and replies go to it). The text: mention
 * keys ({@code @_user_1}) of the bot are removed and those of others become {@code @name}; a {@code post} is
 * flattened to its title and lines; other types are summarised ({@code [image]}, {@code [file: a.pdf]}).
 *
 * <p>Ignored: other event types, messages sent by an app or bot (the bot's own included), and with {@code
 * require_mention} group messages that do not mention the bot's {@code open_id}. Reasons and errors name ids
 * and fields, never message content. Thread-safe.
 */
public final class MessageEvents {
    /** The event type this class reads; every other type is {@link Ignored}. */
    public static final String MESSAGE_RECEIVED = "im.message.receive_v1";

    /**
     * The largest envelope read: a text message is capped at about 150 KB by the platform, and an envelope adds
     * a few hundred bytes, so 1 MiB leaves room without letting one event hold much memory.
     */
    public static final int MAX_ENVELOPE_BYTES = 1024 * 1024;

    /** The deepest JSON nesting read, in the envelope and in a message's content: posts nest 4 levels. */
    public static final int MAX_NESTING = 64;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build());

    private static final Pattern MENTION_KEY = Pattern.compile("@_user_\\d+|@_all");

    private final String channelId;
    private final String accountId;
    private final boolean requireMention;
    private final Supplier<String> botOpenId;

    /** What one event turned out to be. */
    public sealed interface Read permits Message, Ignored, Malformed {}

    /** A message for the gateway's inbound sink. */
    public record Message(InboundMessage message) implements Read {
        public Message {
            requireNonNull(message, "message is null");
        }
    }

    /** An event that is well formed but not for the agent: acknowledge it, count nothing. */
    public record Ignored(String reason) implements Read {
        public Ignored {
            requireNonNull(reason, "reason is null");
        }
    }

    /** An event that breaks the platform's promises: acknowledge it (it will never read better) and count it. */
    public record Malformed(String reason) implements Read {
        public Malformed {
            requireNonNull(reason, "reason is null");
        }
    }

    /** An envelope that cannot even be parsed: bad JSON, too large or too deep. */
    public static final class UnparsableException extends Exception {
        UnparsableException(String message) {
            super(requireNonNull(message, "message is null"), null, false, false);
        }

        /** Never null: the constructor requires a message. */
        @Override
        public String getMessage() {
            return requireNonNull(super.getMessage());
        }
    }

    /**
     * @param channelId the provider id, {@code feishu}
     * @param accountId the account receiving the events
     * @param requireMention whether a group message must mention the bot to be read
     * @param botOpenId the bot's {@code open_id} (from {@code GET /open-apis/bot/v3/info}); asked once per
     *     event. The empty string before it is known: then no message counts as the bot's own by its sender
     *     and, with {@code require_mention}, no group message counts as addressed to the bot, so fetch it before
     *     events can arrive.
     */
    public MessageEvents(String channelId, String accountId, boolean requireMention, Supplier<String> botOpenId) {
        this.channelId = requireNonNull(channelId, "channelId is null");
        this.accountId = requireNonNull(accountId, "accountId is null");
        this.requireMention = requireMention;
        this.botOpenId = requireNonNull(botOpenId, "botOpenId is null");
    }

    /**
     * Parses a JSON body under this class's limits.
     *
     * @throws UnparsableException when it is larger than {@link #MAX_ENVELOPE_BYTES}, nests deeper than {@link
     *     #MAX_NESTING}, or is not JSON; the message names the size or position, never the content
     */
    public static JsonNode parse(byte[] body) throws UnparsableException {
        if (body.length > MAX_ENVELOPE_BYTES) {
            throw new UnparsableException("an event of " + body.length + " bytes is larger than the limit (expected: at"
                    + " most " + MAX_ENVELOPE_BYTES + " bytes)");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new UnparsableException("an empty body is not an event (expected: a JSON object)");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new UnparsableException("an event of " + body.length + " bytes nests JSON deeper than " + MAX_NESTING
                    + " levels (expected: an event envelope, which nests a few levels)");
        } catch (JsonProcessingException e) {
            // the parser's message quotes the input: only its position is kept
            throw new UnparsableException("an event of " + body.length + " bytes is not JSON: it breaks at line "
                    + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()
                    + " (expected: a JSON object)");
        } catch (IOException e) {
            throw new UnparsableException(
                    "an event of " + body.length + " bytes could not be read (expected: UTF-8" + " JSON)");
        }
    }

    /** Reads an envelope's bytes: {@link Malformed} when they cannot be parsed, else as {@link #read(JsonNode, Instant)}. */
    public Read read(byte[] envelope, Instant receivedAt) {
        try {
            return read(parse(envelope), receivedAt);
        } catch (UnparsableException e) {
            return new Malformed(e.getMessage());
        }
    }

    /** Reads a parsed envelope. */
    public Read read(JsonNode envelope, Instant receivedAt) {
        requireNonNull(envelope, "envelope is null");
        requireNonNull(receivedAt, "receivedAt is null");
        if (!envelope.isObject()) {
            return new Malformed(
                    "an event is a JSON " + envelope.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                            + " (expected: an object with schema, header and event)");
        }
        JsonNode header = envelope.path("header");
        String eventId = header.path("event_id").asText("");
        String name = eventId.isEmpty() ? "an event" : "event " + eventId;
        if (!header.path("event_type").isTextual()) {
            if (envelope.path("type").isTextual()) {
                // schema 1.0 (type event_callback, or url_verification): the platform sends messages as 2.0 only
                return new Ignored(
                        name + ": a schema 1.0 " + envelope.path("type").asText() + " callback");
            }
            return new Malformed(name + ": header.event_type is missing (expected: a schema 2.0 envelope with"
                    + " header.event_type)");
        }
        String eventType = header.path("event_type").asText();
        if (!eventType.equals(MESSAGE_RECEIVED)) {
            return new Ignored(name + ": event type " + eventType + " (only " + MESSAGE_RECEIVED + " is read)");
        }
        JsonNode message = envelope.path("event").path("message");
        if (!message.isObject()) {
            return new Malformed(name + ": event.message is missing (expected: an object with message_id, chat_id and"
                    + " content)");
        }
        String messageId = message.path("message_id").asText("");
        if (!message.path("message_id").isTextual() || messageId.isBlank()) {
            return new Malformed(name + ": event.message.message_id is missing (expected: an id such as om_...)");
        }
        name = "message " + messageId;
        String chatId = message.path("chat_id").asText("");
        if (!message.path("chat_id").isTextual() || chatId.isBlank()) {
            return new Malformed(name + ": event.message.chat_id is missing (expected: an id such as oc_...)");
        }
        JsonNode sender = envelope.path("event").path("sender");
        String senderType = sender.path("sender_type").asText("");
        String senderId = firstText(sender.path("sender_id"), "open_id", "union_id", "user_id");
        String bot = botOpenId.get();
        if (senderType.equals("app") || senderType.equals("bot") || (!bot.isEmpty() && senderId.equals(bot))) {
            return new Ignored(name + ": sent by an app or bot (sender_type " + senderType + "), not a person");
        }
        if (senderId.isEmpty()) {
            return new Malformed(name + ": event.sender.sender_id has no open_id (expected: the sender's ou_... id)");
        }
        Mentions mentions;
        try {
            mentions = Mentions.of(message.path("mentions"), bot);
        } catch (MalformedException e) {
            return new Malformed(name + ": " + e.getMessage());
        }
        boolean group = !message.path("chat_type").asText("").equals("p2p");
        if (group && requireMention && !mentions.botMentioned()) {
            return new Ignored(name + ": a group message that does not mention the bot (require_mention)");
        }
        String text;
        try {
            text = text(message, mentions);
        } catch (MalformedException e) {
            return new Malformed(name + ": " + e.getMessage());
        }
        String threadId = message.path("thread_id").asText("");
        return new Message(new InboundMessage(
                channelId,
                accountId,
                chatId,
                threadId.isBlank() ? Optional.empty() : Optional.of(threadId),
                senderId,
                messageId,
                text,
                receivedAt));
    }

    private static String text(JsonNode message, Mentions mentions) throws MalformedException {
        JsonNode contentNode = message.path("content");
        if (!contentNode.isTextual()) {
            throw new MalformedException("event.message.content is a "
                    + contentNode.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + " (expected: a JSON object encoded as a string)");
        }
        JsonNode content;
        try {
            content = JSON.readTree(contentNode.asText());
        } catch (StreamConstraintsException e) {
            throw new MalformedException("event.message.content nests JSON deeper than " + MAX_NESTING
                    + " levels (expected: a message content object)");
        } catch (IOException e) {
            content = null;
        }
        if (content == null || !content.isObject()) {
            throw new MalformedException("event.message.content is not a JSON object string (expected: e.g."
                    + " {\"text\":\"...\"} encoded as a string)");
        }
        String type = message.path("message_type").asText("");
        return switch (type) {
            case "text" -> {
                if (!content.path("text").isTextual()) {
                    throw new MalformedException(
                            "a text message's content has no text (expected: {\"text\":\"...\"} encoded as a string)");
                }
                yield mentions.render(content.path("text").asText());
            }
            case "post" -> PostText.flatten(content, mentions);
            case "image" -> "[image]";
            case "file" -> named("file", content.path("file_name"));
            case "audio" -> "[audio]";
            case "media" -> named("video", content.path("file_name"));
            case "sticker" -> "[sticker]";
            case "interactive" -> "[card]";
            case "share_chat" -> "[shared chat]";
            case "share_user" -> "[shared contact]";
            case "merge_forward" -> "[forwarded messages]";
            case "location" -> named("location", content.path("name"));
            case "todo" -> "[task]";
            case "" -> throw new MalformedException(
                    "event.message.message_type is missing (expected: text, post, image, file, ...)");
            default -> "[" + type + "]";
        };
    }

    private static String named(String kind, JsonNode name) {
        String value = name.asText("").strip();
        return value.isEmpty() ? "[" + kind + "]" : "[" + kind + ": " + value + "]";
    }

    private static String firstText(JsonNode node, String... keys) {
        for (String key : keys) {
            String value = node.path(key).asText("");
            if (node.path(key).isTextual() && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }

    /** A field that breaks the platform's promise; the message names the field and what was expected. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(requireNonNull(message, "message is null"), null, false, false);
        }

        @Override
        public String getMessage() {
            return requireNonNull(super.getMessage());
        }
    }

    /** A message's {@code mentions}: key ({@code @_user_1}) to the person or bot named, and whether the bot is. */
    static final class Mentions {
        private final Map<String, String> names;
        private final Map<String, Boolean> isBot;

        private Mentions(Map<String, String> names, Map<String, Boolean> isBot) {
            this.names = names;
            this.isBot = isBot;
        }

        static Mentions of(JsonNode mentions, String botOpenId) throws MalformedException {
            Map<String, String> names = new HashMap<>();
            Map<String, Boolean> isBot = new HashMap<>();
            if (mentions.isMissingNode() || mentions.isNull()) {
                return new Mentions(names, isBot);
            }
            if (!mentions.isArray()) {
                throw new MalformedException("event.message.mentions is not a list (expected: [{\"key\":\"@_user_1\","
                        + " \"id\":{\"open_id\":...}, \"name\":...}])");
            }
            for (JsonNode mention : mentions) {
                String key = mention.path("key").asText("");
                if (key.isEmpty()) {
                    continue;
                }
                String openId = mention.path("id").path("open_id").asText("");
                names.put(key, mention.path("name").asText(""));
                isBot.put(key, !botOpenId.isEmpty() && openId.equals(botOpenId));
            }
            return new Mentions(names, isBot);
        }

        boolean botMentioned() {
            return isBot.containsValue(true);
        }

        boolean isBot(String key) {
            return isBot.getOrDefault(key, false);
        }

        /** {@code @name} for a mention of someone else; the key itself when it names no one. */
        String name(String key) {
            String name = names.get(key);
            if (name != null && !name.isBlank()) {
                return "@" + name;
            }
            return key.equals("@_all") ? "@all" : key;
        }

        /** The text with the bot's mention keys removed and the others' replaced by {@code @name}. */
        String render(String text) {
            List<String> parts = new ArrayList<>();
            Matcher matcher = MENTION_KEY.matcher(text);
            StringBuilder result = new StringBuilder(text.length());
            boolean removed = false;
            while (matcher.find()) {
                String key = matcher.group();
                if (isBot(key)) {
                    matcher.appendReplacement(result, "");
                    removed = true;
                } else {
                    matcher.appendReplacement(result, Matcher.quoteReplacement(name(key)));
                }
                parts.add(key);
            }
            matcher.appendTail(result);
            if (!removed) {
                return result.toString();
            }
            String stripped = result.toString().replaceAll("[ \\t]{2,}", " ").strip();
            // a message that is only the mention: the agent still gets something to answer
            return stripped.isEmpty() ? "@" + names.getOrDefault(parts.get(0), "bot") : stripped;
        }
    }
}
