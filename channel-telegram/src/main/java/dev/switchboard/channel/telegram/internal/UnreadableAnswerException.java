package dev.switchboard.channel.telegram.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * The server answered, but not with something the channel can read as a Bot API answer (JSON nested
 * past the parser's limit, a {@code result} of the wrong shape). Unlike a network failure this does
 * not fix itself by reconnecting: the account shows {@code degraded} with this message and backs
 * off. Its message never holds the token.
 */
public class UnreadableAnswerException extends IOException {
    public UnreadableAnswerException(String message) {
        super(requireNonNull(message, "message is null"));
    }

    /** Never null: the constructor requires a message. */
    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage());
    }
}
