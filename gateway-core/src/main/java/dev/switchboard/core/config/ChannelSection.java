package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A channel's top-level config table, e.g. {@code [telegram]}.
 *
 * @param channelId the provider id the section is named after
 * @param enabled {@code enabled} (default true)
 * @param defaultAccount {@code default_account}, when set
 * @param accounts the accounts in file order, each already merged over the section's defaults
 */
public record ChannelSection(
        String channelId, boolean enabled, Optional<String> defaultAccount, Map<String, AccountConfig> accounts) {
    public ChannelSection {
        requireNonNull(channelId, "channelId is null");
        requireNonNull(defaultAccount, "defaultAccount is null");
        accounts = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(accounts, "accounts is null")));
    }
}
