package dev.switchboard.testkit.telegram;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.OptionalInt;

/** A {@code sendChatAction} the fake accepted, e.g. {@code typing}. */
public record ChatAction(long chatId, String action, OptionalInt messageThreadId, Instant at) {
    public ChatAction {
        requireNonNull(action, "action is null");
        requireNonNull(messageThreadId, "messageThreadId is null");
        requireNonNull(at, "at is null");
    }
}
