package dev.switchboard.channel.telegram.internal;

import static java.util.Objects.requireNonNull;

/**
 * An update the channel cannot turn into a message because a field is not what the Bot API
 * promises (an entity past the text, an unusable {@code update_id}, nesting past the parser's
 * limit). The message says what was wrong and never contains the message text.
 */
public final class MalformedUpdateException extends Exception {
    public MalformedUpdateException(String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
    }

    /** Never null: the constructor requires a message. */
    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage());
    }
}
