package dev.switchboard.testkit.telegram;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A Telegram user as the fake shows it to the bot ({@code from} of a message). */
public record TgUser(long id, String firstName, Optional<String> username) {
    public TgUser {
        requireNonNull(firstName, "firstName is null");
        requireNonNull(username, "username is null");
    }
}
