package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

/**
 * A conversation with the bot: a single chat with one user, or a group. Its {@link #conversationId()} is what an
 * allowlist names and what {@code aibot_send_msg} takes as {@code chatid}: the user's {@code userid} for a single
 * chat (callbacks carry no {@code chatid} there), the group's {@code chatid} for a group.
 */
public record WeComChat(String conversationId, boolean isGroup) {
    public WeComChat {
        requireNonNull(conversationId, "conversationId is null");
        if (conversationId.isBlank()) {
            throw new IllegalArgumentException("conversationId is blank (expected: a userid or a group chatid)");
        }
    }

    /** The single chat between the bot and the user {@code userid}. */
    public static WeComChat single(String userid) {
        return new WeComChat(userid, false);
    }

    /** The group {@code chatid} (the bot is in it). */
    public static WeComChat group(String chatid) {
        return new WeComChat(chatid, true);
    }

    /** {@code single} or {@code group}, as callbacks carry it in {@code chattype}. */
    public String chatType() {
        return isGroup ? "group" : "single";
    }
}
