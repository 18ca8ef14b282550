package dev.switchboard.spi.agent;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One turn of a conversation as an agent sees it. Its {@link #toString()} leaves the content out.
 *
 * @param role who said it
 * @param content what was said
 */
public record ChatMessage(Role role, String content) {
    /** The speaker of a turn, named like the OpenAI chat roles. */
    public enum Role {
        /** Instructions for the model. */
        SYSTEM,
        /** The chat user. */
        USER,
        /** The agent's earlier answers. */
        ASSISTANT;

        /**
         * The name in OpenAI's chat API.
         *
         * @return {@code system}, {@code user} or {@code assistant}
         */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Checks the parts are present.
     *
     * @param role who said it
     * @param content what was said
     * @throws NullPointerException when a part is null
     */
    public ChatMessage {
        requireNonNull(role, "role is null");
        requireNonNull(content, "content is null");
    }

    /**
     * A system turn.
     *
     * @param content the instructions
     * @return the turn
     */
    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    /**
     * A user turn.
     *
     * @param content what the user said
     * @return the turn
     */
    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    /**
     * An assistant turn.
     *
     * @param content what the agent answered
     * @return the turn
     */
    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }

    /**
     * The turn without its content, fit for logs.
     *
     * @return the role and the content's length
     */
    @Override
    public String toString() {
        // message bodies stay out of logs (CONVENTIONS: never log message bodies at INFO)
        return "ChatMessage[" + role.wireName() + ", " + content.length() + " chars]";
    }
}
