package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

/**
 * A conversation the bot is in: {@code chat_type} {@code p2p} (a single chat with one user) or {@code group}.
 * Chat ids look like {@code oc_...}.
 */
public record FeishuChat(String chatId, String chatType, String name) {
    public static final String P2P = "p2p";
    public static final String GROUP = "group";

    public FeishuChat {
        requireNonNull(chatId, "chatId is null");
        requireNonNull(chatType, "chatType is null");
        requireNonNull(name, "name is null");
        if (!chatType.equals(P2P) && !chatType.equals(GROUP)) {
            throw new IllegalArgumentException("chatType: " + chatType + " (expected: p2p or group)");
        }
    }

    public boolean isGroup() {
        return chatType.equals(GROUP);
    }
}
