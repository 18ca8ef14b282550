package dev.switchboard.spi.agent;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One turn of a conversation as an agent sees it.
 *
 * @param role who said it
 * @param content what was said
 */
public record ChatMessage(Role role, String content) {
    /** The speaker of a turn, named like the OpenAI chat roles. */
    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT;

        /** The lower-case wire name: {@code system}, {@code user}, {@code assistant}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChatMessage {
        requireNonNull(role, "role is null");
        requireNonNull(content, "content is null");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }

    @Override
    public String toString() {
        // message bodies stay out of logs (CONVENTIONS: never log message bodies at INFO)
        return "ChatMessage[" + role.wireName() + ", " + content.length() + " chars]";
    }
}
