package dev.switchboard.testkit.telegram;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A chat the bot is in: {@code private} (id = the user's id) or a {@code supergroup} (negative id). */
public record TgChat(long id, String type, Optional<String> title, boolean isForum) {
    public TgChat {
        requireNonNull(type, "type is null");
        requireNonNull(title, "title is null");
    }
}
