package dev.switchboard.core.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.routing.internal.WebChat;
import dev.switchboard.core.store.internal.Turn;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code chat.history} pages (SPEC §5.4): a large session is read in pages, never sent whole, so a
 * client that reads it is never closed as a slow consumer. The first page holds the newest turns;
 * {@code nextCursor} continues with older ones until a page comes without it. A page holds at most
 * {@code limit} turns whose {@code messages} take at most {@code maxBytes} of JSON; a turn too large
 * for a page of its own comes alone, its content cut to fit and marked {@code truncated}.
 */
final class HistoryPages {
    /** The most turns a page holds ({@code limit}'s default and cap). */
    static final int MAX_TURNS = 1000;
    /** The largest page ({@code maxBytes}' default and cap), unless a quarter of the send buffer is less. */
    static final long MAX_PAGE_BYTES = 1024 * 1024;
    /** The smallest {@code maxBytes} a client may ask for. */
    static final long MIN_PAGE_BYTES = 1024;

    /** {@code <sessionId>:<turnId>}: the session paged, and the oldest turn already sent. */
    private static final Pattern CURSOR = Pattern.compile("([0-9]{1,18}):([0-9]{1,18})");

    private final long largestPage;

    HistoryPages(ServerLimits limits) {
        // well under the send buffer, so a page plus the events around it never trips the cap
        this.largestPage = Math.max(MIN_PAGE_BYTES, Math.min(MAX_PAGE_BYTES, limits.maxBufferedBytes() / 4));
    }

    long largestPage() {
        return largestPage;
    }

    /** The page a {@code chat.history} call asks for, as its payload. */
    ObjectNode page(WebChat chat, String key, Optional<String> cursor, long limit, long maxBytes) {
        int turns = (int) Math.min(limit, MAX_TURNS);
        long bytes = Math.min(maxBytes, largestPage);
        WebChat.HistoryPage page;
        if (cursor.isEmpty()) {
            page = chat.history(key, turns, bytes);
        } else {
            Matcher matcher = CURSOR.matcher(cursor.get());
            if (!matcher.matches()) {
                throw invalidCursor(cursor.get());
            }
            page = chat.history(key, Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)), turns, bytes)
                    .orElseThrow(() -> invalidCursor(cursor.get()));
        }
        ObjectNode payload = FrameCodec.json()
                .createObjectNode()
                .put("sessionKey", page.session().sessionKey())
                .put("sessionId", page.session().id());
        List<Turn> newestFirst = page.turns().newestFirst();
        List<ObjectNode> kept = fit(newestFirst, bytes);
        ArrayNode messages = payload.putArray("messages");
        List<ObjectNode> oldestFirst = new ArrayList<>(kept);
        Collections.reverse(oldestFirst);
        oldestFirst.forEach(messages::add);
        if (page.turns().more() || kept.size() < newestFirst.size()) {
            Turn oldest = newestFirst.get(kept.size() - 1);
            payload.put("nextCursor", page.session().id() + ":" + oldest.id());
        }
        return payload;
    }

    /**
     * The newest turns whose messages fit in {@code maxBytes} as a JSON array; at least one, cut to
     * fit when it alone is too large.
     */
    private static List<ObjectNode> fit(List<Turn> newestFirst, long maxBytes) {
        List<ObjectNode> kept = new ArrayList<>();
        long used = 2; // []
        for (Turn turn : newestFirst) {
            ObjectNode message = message(turn);
            long size = Utf8.length(message.toString()) + (kept.isEmpty() ? 0 : 1);
            if (used + size > maxBytes) {
                if (kept.isEmpty()) {
                    kept.add(truncated(turn, maxBytes - used));
                }
                break;
            }
            kept.add(message);
            used += size;
        }
        return kept;
    }

    private static ObjectNode message(Turn turn) {
        return FrameCodec.json()
                .createObjectNode()
                .put("role", turn.role().wireName())
                .put("content", turn.content())
                .put("ts", turn.createdAt().toEpochMilli());
    }

    /** The turn's message with its content cut (on a code point) so that it takes at most {@code budget}. */
    private static ObjectNode truncated(Turn turn, long budget) {
        ObjectNode message = message(turn).put("content", "").put("truncated", true);
        long contentBudget = budget - Utf8.length(message.toString());
        while (true) {
            String cut = Utf8.truncate(turn.content(), Math.max(0, contentBudget));
            message.put("content", cut);
            long over = Utf8.length(message.toString()) - budget;
            if (over <= 0 || cut.isEmpty()) {
                return message;
            }
            contentBudget -= over; // escaping made the JSON longer than the text
        }
    }

    private static ProtocolException invalidCursor(String cursor) {
        String shown = cursor.length() > 40 ? cursor.substring(0, 40) + "..." : cursor;
        return ProtocolException.invalid("cursor: \"" + shown
                + "\" (expected: the nextCursor of an earlier chat.history page of this sessionKey)");
    }
}
