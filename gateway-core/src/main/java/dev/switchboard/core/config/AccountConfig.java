package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.Map;

/**
 * One channel account as configured: the section's top-level fields overlaid by the account's own
 * key by key (an account's list replaces the section's, never merges with it).
 *
 * @param channelId provider id
 * @param accountId the account's key in the section's accounts table
 * @param values the merged non-secret keys
 * @param secrets the merged secret keys, unresolved
 * @param origin where the account is defined, for messages: {@code switchboard.toml:12}
 */
public record AccountConfig(
        String channelId, String accountId, Config values, Map<String, SecretRef> secrets, String origin) {
    public AccountConfig {
        requireNonNull(channelId, "channelId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(values, "values is null");
        secrets = Map.copyOf(requireNonNull(secrets, "secrets is null"));
        requireNonNull(origin, "origin is null");
    }

    /** The dotted key path of a key in this account, for messages: {@code telegram.accounts.bot.x}. */
    public String path(String key) {
        return channelId + ".accounts." + accountId + "." + key;
    }
}
