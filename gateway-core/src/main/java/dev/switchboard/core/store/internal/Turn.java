package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * One turn of a session's history.
 *
 * @param id turn id, increasing in the order turns were appended
 * @param sessionId the session
 * @param role who spoke
 * @param content what was said
 * @param createdAt when it was appended
 */
public record Turn(long id, long sessionId, Role role, String content, Instant createdAt) {
    /** Who a turn is from, as in OpenAI-compatible chat messages. */
    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT;

        /** The stored (and OpenAI wire) name: lower case. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Role fromWireName(String name) {
            return switch (name) { // every turn read passes here: no upper-casing copy
                case "system" -> SYSTEM;
                case "user" -> USER;
                case "assistant" -> ASSISTANT;
                default -> valueOf(name.toUpperCase(Locale.ROOT));
            };
        }
    }

    public Turn {
        requireNonNull(role, "role is null");
        requireNonNull(content, "content is null");
        requireNonNull(createdAt, "createdAt is null");
    }

    @Override
    public String toString() {
        // message bodies stay out of logs
        return "Turn[" + id + " of session " + sessionId + ", " + role.wireName() + ", " + content.length() + " chars]";
    }
}
