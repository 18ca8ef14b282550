package dev.switchboard.channel.wecom.robot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a message into parts of at most {@code maxBytes} UTF-8 bytes each (the group robot counts bytes, not
 * characters: 2048 for text, 4096 for markdown, so a Chinese text fits about a third as many characters). A part
 * ends at the last newline that fits, else the last space, else it is cut hard between two code points; the
 * newline or space a part ends on is dropped, nothing else is lost or reordered.
 */
final class Utf8Splitter {
    private Utf8Splitter() {}

    static List<String> split(String text, int maxBytes) {
        if (maxBytes < 4) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: at least 4, one code point)");
        }
        List<String> parts = new ArrayList<>();
        String rest = text;
        while (rest.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            int fits = charsThatFit(rest, maxBytes);
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
        }
        if (!rest.isEmpty() || parts.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    /** The length in chars of the longest prefix of {@code text} that is at most {@code maxBytes} in UTF-8. */
    private static int charsThatFit(String text, int maxBytes) {
        int bytes = 0;
        int index = 0;
        while (index < text.length()) {
            int codePoint = text.codePointAt(index);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            index += Character.charCount(codePoint);
        }
        return index;
    }
}
