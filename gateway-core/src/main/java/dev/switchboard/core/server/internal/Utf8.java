package dev.switchboard.core.server.internal;

/**
 * The UTF-8 size of text without encoding it: every frame in and out is measured against the
 * protocol's byte limits, and an encoded copy per frame only to read its length is waste on the
 * hot path.
 */
public final class Utf8 {
    private Utf8() {}

    /** Exactly {@code text.getBytes(UTF_8).length} (a lone surrogate counts as the one-byte '?'). */
    public static long length(CharSequence text) {
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            int width = width(text, i);
            bytes += width;
            if (width == 4) {
                i++;
            }
        }
        return bytes;
    }

    /**
     * The longest prefix of {@code text} whose UTF-8 encoding takes at most {@code maxBytes}, never
     * splitting a code point (a surrogate pair stays whole or goes whole).
     */
    public static String truncate(String text, long maxBytes) {
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            int width = width(text, i);
            if (bytes + width > maxBytes) {
                return text.substring(0, i);
            }
            bytes += width;
            if (width == 4) {
                i++;
            }
        }
        return text;
    }

    /** Bytes of the code point at {@code i}: 4 for a surrogate pair (which spans two chars). */
    private static int width(CharSequence text, int i) {
        char c = text.charAt(i);
        if (c < 0x80) {
            return 1;
        } else if (c < 0x800) {
            return 2;
        } else if (Character.isHighSurrogate(c)
                && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1))) {
            return 4;
        } else if (Character.isSurrogate(c)) {
            return 1;
        }
        return 3;
    }
}
