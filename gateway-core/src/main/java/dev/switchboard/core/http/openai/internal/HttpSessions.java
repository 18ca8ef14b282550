package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.routing.internal.SessionKeys;
import java.util.Optional;
import java.util.UUID;

/**
 * Which session a request's turn belongs to: the {@code x-switchboard-session} header's name, else
 * the {@code user} field's, as session key {@code http:<name>}; with neither, a fresh session named
 * by a random UUID. Every answer carries the name in {@code x-switchboard-session}, so a client
 * continues a fresh session by sending it back.
 */
final class HttpSessions {
    static final String HEADER = "x-switchboard-session";
    static final int MAX_NAME_CHARS = 256;

    /**
     * @param fresh whether the gateway chose the name: the session is new, and the request's earlier
     *     messages are its context
     */
    record Session(String name, String key, boolean fresh) {
        Session {
            requireNonNull(name, "name is null");
            requireNonNull(key, "key is null");
        }
    }

    private HttpSessions() {}

    static Session of(Optional<String> header, Optional<String> user) {
        if (header.isPresent()) {
            return named(header.get(), HEADER + " header");
        }
        if (user.isPresent()) {
            return named(user.get(), "user");
        }
        String name = UUID.randomUUID().toString();
        return new Session(name, SessionKeys.http(name), true);
    }

    private static Session named(String name, String where) {
        if (name.isBlank() || name.length() > MAX_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
            String param = where.equals("user") ? "user" : null;
            throw new OpenAiException(OpenAiError.invalid(
                    param,
                    where + ": " + (name.isBlank() ? "blank" : name.length() + " characters")
                            + " (expected: a session name of 1 to " + MAX_NAME_CHARS
                            + " characters without control characters)"));
        }
        return new Session(name, SessionKeys.http(name), false);
    }
}
