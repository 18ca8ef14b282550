package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Splits a reply into parts a platform accepts, for {@link ChannelAdapter#send}: a part ends at the last newline
 * that fits, else the last space, else it is cut hard, never between the two halves of a surrogate pair. The
 * separator a part ends on is dropped; nothing else is lost or reordered. Platforms count differently, so there is
 * one method per measure: UTF-16 code units (Telegram, Feishu: an emoji counts 2) and UTF-8 bytes (WeCom).
 */
public final class TextSplitter {
    private TextSplitter() {}

    /**
     * Parts of at most {@code limit} UTF-16 code units each.
     *
     * @param text the reply
     * @param limit the platform's limit, at least 2 (so a surrogate pair always fits)
     * @return the parts in order; one (possibly empty) part for a text within the limit
     */
    public static List<String> byUtf16Units(String text, int limit) {
        if (limit < 2) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: at least 2)");
        }
        return split(text, rest -> {
            int fit = Math.min(limit, rest.length());
            boolean cutsAPair = fit < rest.length()
                    && Character.isHighSurrogate(rest.charAt(fit - 1))
                    && Character.isLowSurrogate(rest.charAt(fit));
            return cutsAPair ? fit - 1 : fit;
        });
    }

    /**
     * Parts of at most {@code maxBytes} bytes each when encoded as UTF-8.
     *
     * @param text the reply
     * @param maxBytes the platform's limit, at least 4 (so any code point fits)
     * @return the parts in order; one (possibly empty) part for a text within the limit
     */
    public static List<String> byUtf8Bytes(String text, int maxBytes) {
        if (maxBytes < 4) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: at least 4)");
        }
        return split(text, rest -> {
            int bytes = 0;
            int index = 0;
            while (index < rest.length()) {
                int codePoint = rest.codePointAt(index);
                bytes += utf8Length(codePoint);
                if (bytes > maxBytes) {
                    break;
                }
                index += Character.charCount(codePoint);
            }
            return index;
        });
    }

    /**
     * The UTF-8 length of {@code text}, without encoding it.
     *
     * @param text any text
     * @return its length in UTF-8 bytes
     */
    public static int utf8Length(String text) {
        int bytes = 0;
        for (int index = 0; index < text.length(); ) {
            int codePoint = text.codePointAt(index);
            bytes += utf8Length(codePoint);
            index += Character.charCount(codePoint);
        }
        return bytes;
    }

    /** Bytes of one code point in UTF-8; a lone surrogate counts 3, the most any encoder writes for it. */
    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }

    /**
     * The splitting rule; {@code longestFit} answers how many chars of a text fit in one part (never splitting a
     * pair, at least one code point when the text is longer than a part).
     */
    private static List<String> split(String text, ToIntFunction<String> longestFit) {
        List<String> parts = new ArrayList<>();
        String rest = text;
        int fit = longestFit.applyAsInt(rest);
        while (fit < rest.length()) {
            int cut = rest.lastIndexOf('\n', fit);
            int skip = 1;
            if (cut <= 0) {
                cut = rest.lastIndexOf(' ', fit);
            }
            if (cut <= 0) {
                cut = fit;
                skip = 0;
            }
            parts.add(rest.substring(0, cut));
            rest = rest.substring(cut + skip);
            fit = longestFit.applyAsInt(rest);
        }
        if (!rest.isEmpty() || parts.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }
}
