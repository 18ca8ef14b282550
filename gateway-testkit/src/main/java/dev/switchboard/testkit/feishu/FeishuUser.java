package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

/**
 * A user of the fake tenant, with the three ids Feishu gives a user: {@code open_id} ({@code ou_...}, per app),
 * {@code union_id} ({@code on_...}, per developer) and {@code user_id} (per tenant).
 */
public record FeishuUser(String openId, String unionId, String userId, String name) {
    public FeishuUser {
        requireNonNull(openId, "openId is null");
        requireNonNull(unionId, "unionId is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(name, "name is null");
    }
}
