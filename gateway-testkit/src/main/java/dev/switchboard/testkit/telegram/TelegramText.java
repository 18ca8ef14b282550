package dev.switchboard.testkit.telegram;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Telegram's text rules: {@code parse_mode=HTML} parsing and the entities it marks in user messages. */
final class TelegramText {
    /** The tags Bot API HTML supports; anything else is "Unsupported start tag". */
    private static final Set<String> TAGS = Set.of(
            "b",
            "strong",
            "i",
            "em",
            "u",
            "ins",
            "s",
            "strike",
            "del",
            "span",
            "tg-spoiler",
            "a",
            "code",
            "pre",
            "blockquote",
            "tg-emoji");

    /** A username is 5 to 32 characters: a letter, then letters, digits and underscores. */
    private static final String USERNAME = "[A-Za-z][A-Za-z0-9_]{4,31}";

    private static final Pattern COMMAND =
            Pattern.compile("(?<![^\\s])/[A-Za-z0-9_]{1,64}(?:@" + USERNAME + ")?(?![A-Za-z0-9_@])");

    private TelegramText() {}

    /**
     * The text a user sees for {@code html}: tags removed, the entities lt, gt, amp, quot and numeric entities
     * decoded. Unbalanced or unsupported tags fail like Telegram: {@code 400 Bad Request: can't parse entities:
     * ...}.
     */
    static String parseHtml(String html) {
        StringBuilder text = new StringBuilder(html.length());
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = html.indexOf('>', i);
                if (end < 0) {
                    throw cantParse("Can't find end of the tag starting at byte offset " + byteOffset(html, i));
                }
                String tag = html.substring(i + 1, end);
                if (tag.startsWith("/")) {
                    String name = tag.substring(1).trim().toLowerCase(Locale.ROOT);
                    if (open.isEmpty()) {
                        throw cantParse("Unexpected end tag at byte offset " + byteOffset(html, i));
                    }
                    if (!open.peek().equals(name)) {
                        throw cantParse("Can't find end tag corresponding to start tag \"" + open.peek() + "\"");
                    }
                    open.pop();
                } else {
                    String name = tagName(tag);
                    if (!TAGS.contains(name)) {
                        throw cantParse("Unsupported start tag \"" + name + "\" at byte offset " + byteOffset(html, i));
                    }
                    open.push(name);
                }
                i = end + 1;
            } else if (c == '&') {
                int semicolon = html.indexOf(';', i);
                String decoded = semicolon < 0 ? null : entity(html.substring(i + 1, semicolon));
                if (decoded == null) {
                    text.append(c); // not a known entity: Telegram keeps it as text
                    i++;
                } else {
                    text.append(decoded);
                    i = semicolon + 1;
                }
            } else {
                text.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            throw cantParse("Can't find end tag corresponding to start tag \"" + open.peek() + "\"");
        }
        return text.toString();
    }

    private static String tagName(String tag) {
        int end = 0;
        while (end < tag.length() && (Character.isLetterOrDigit(tag.charAt(end)) || tag.charAt(end) == '-')) {
            end++;
        }
        return tag.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static @Nullable String entity(String name) {
        String named =
                switch (name) {
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "amp" -> "&";
                    case "quot" -> "\"";
                    default -> null;
                };
        if (named != null) {
            return named;
        }
        try {
            if (name.startsWith("#x") || name.startsWith("#X")) {
                return new String(Character.toChars(Integer.parseInt(name.substring(2), 16)));
            }
            if (name.startsWith("#")) {
                return new String(Character.toChars(Integer.parseInt(name.substring(1))));
            }
        } catch (IllegalArgumentException e) {
            return null; // not a number, or not a code point
        }
        return null;
    }

    private static int byteOffset(String text, int index) {
        return text.substring(0, index).getBytes(UTF_8).length;
    }

    private static ApiError cantParse(String why) {
        return ApiError.badRequest("can't parse entities: " + why);
    }

    /**
     * The entities Telegram marks in a user's plain text: {@code mention} for every {@code @username} and
     * {@code bot_command} for {@code /command[@bot]}, with offsets and lengths in UTF-16 code units (which is
     * what Java string indices are).
     */
    static ArrayNode entities(String text, String botUsername) {
        // the bot's own username is always marked, even one shorter than Telegram's minimum
        Pattern mention = Pattern.compile(
                "(?<![A-Za-z0-9_@/])@(?:" + USERNAME + "|(?i:" + Pattern.quote(botUsername) + "))(?![A-Za-z0-9_])");
        TreeMap<Integer, Entity> found = new TreeMap<>(); // ordered by offset, as Telegram lists them
        Matcher commands = COMMAND.matcher(text);
        while (commands.find()) {
            found.put(commands.start(), new Entity("bot_command", commands.end() - commands.start()));
        }
        Matcher mentions = mention.matcher(text);
        while (mentions.find()) {
            found.putIfAbsent(mentions.start(), new Entity("mention", mentions.end() - mentions.start()));
        }
        ArrayNode entities = JsonNodeFactory.instance.arrayNode();
        found.forEach((offset, entity) -> entities.addObject()
                .put("offset", offset)
                .put("length", entity.length())
                .put("type", entity.type()));
        return entities;
    }

    private record Entity(String type, int length) {}
}
