package dev.switchboard.channel.wecom.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a reply into parts the platform accepts, counted in UTF-8 bytes as the platform counts them: the first
 * part at most {@code firstLimit} bytes (a stream frame's content), every later one at most {@code restLimit}
 * (a markdown message). A part ends at the last line break that fits, else the last space, else it is cut hard
 * between two code points (never inside one, never inside a surrogate pair). The separator a part ends on is
 * dropped; nothing else is lost or reordered.
 */
final class Utf8Splitter {
    private Utf8Splitter() {}

    static List<String> split(String text, int firstLimit, int restLimit) {
        if (firstLimit < 4 || restLimit < 4) {
            throw new IllegalArgumentException(
                    "limits: " + firstLimit + ", " + restLimit + " (expected: at least 4 bytes, one code point)");
        }
        List<String> parts = new ArrayList<>();
        String rest = text;
        int limit = firstLimit;
        while (true) {
            int fits = charsFitting(rest, limit);
            if (fits == rest.length()) {
                break;
            }
            int cut = rest.lastIndexOf('\n', fits);
            int skip = 1;
            if (cut <= 0) {
                cut = rest.lastIndexOf(' ', fits);
            }
            if (cut <= 0) {
                cut = fits;
                skip = 0;
            }
            parts.add(rest.substring(0, cut));
            rest = rest.substring(cut + skip);
            limit = restLimit;
        }
        if (!rest.isEmpty() || parts.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    /** How many chars of {@code text}, from its start, fit in {@code limit} UTF-8 bytes, whole code points only. */
    static int charsFitting(String text, int limit) {
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int size = utf8Length(codePoint);
            if (bytes + size > limit) {
                return i;
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return i;
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        // a lone surrogate is encoded as '?' by String.getBytes: 1 byte; counting 3 only errs on the safe side
        return codePoint < 0x10000 ? 3 : 4;
    }
}
