package dev.switchboard.channel.feishu.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A copy of channel-telegram's splitter (channels depend on the SPI only, not on each other).
 *
 * <p>Splits a reply into parts the platform accepts: at most {@code limit} UTF-16 code units each. A
 * part ends at the last newline that fits, else the last
 * space, else it is cut hard, never between the two halves of a surrogate pair. The separator a part
 * ends on is dropped; nothing else is lost or reordered.
 */
public final class TextSplitter {
    /**
     * The longest part, in UTF-16 units. A text message's request may be 150 KB; a part this long stays under
     * it even when every character is one JSON escapes twice (a control character: 7 bytes in the body).
     */
    public static final int FEISHU_LIMIT = 18_000;

    private TextSplitter() {}

    public static List<String> split(String text, int limit) {
        if (limit < 2) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: at least 2)");
        }
        List<String> parts = new ArrayList<>();
        String rest = text;
        while (rest.length() > limit) {
            int cut = rest.lastIndexOf('\n', limit);
            int skip = 1;
            if (cut <= 0) {
                cut = rest.lastIndexOf(' ', limit);
            }
            if (cut <= 0) {
                cut = limit;
                skip = 0;
                if (Character.isHighSurrogate(rest.charAt(cut - 1)) && Character.isLowSurrogate(rest.charAt(cut))) {
                    cut--; // keep the pair together in the next part
                }
            }
            parts.add(rest.substring(0, cut));
            rest = rest.substring(cut + skip);
        }
        if (!rest.isEmpty() || parts.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }
}
