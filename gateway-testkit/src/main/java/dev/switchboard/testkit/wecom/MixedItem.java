package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

/** One part of a {@code mixed} message: a text, or an image (an encrypted download URL and its key). */
public record MixedItem(String msgType, String text) {
    public MixedItem {
        requireNonNull(msgType, "msgType is null");
        requireNonNull(text, "text is null");
        if (!msgType.equals("text") && !msgType.equals("image")) {
            throw new IllegalArgumentException("msgType: " + msgType + " (expected: text or image)");
        }
    }

    public static MixedItem text(String text) {
        return new MixedItem("text", text);
    }

    public static MixedItem image() {
        return new MixedItem("image", "");
    }
}
