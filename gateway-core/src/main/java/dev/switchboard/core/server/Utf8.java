package dev.switchboard.core.server;

/**
 * The UTF-8 size of text without encoding it: every frame in and out is measured against the
 * protocol's byte limits, and an encoded copy per frame only to read its length is waste on the
 * hot path.
 */
final class Utf8 {
    private Utf8() {}

    /** Exactly {@code text.getBytes(UTF_8).length} (a lone surrogate counts as the one-byte '?'). */
    static long length(CharSequence text) {
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
