package dev.switchboard.core.selector;

import static java.util.Objects.requireNonNull;

/**
 * One parsed {@code --channel-account CHANNEL=ACCOUNT} entry.
 *
 * @param channelId the canonical channel id (aliases already resolved)
 * @param accountId the account id, verbatim
 * @param raw the entry as the operator wrote it, for messages
 */
public record ChannelSelector(String channelId, String accountId, String raw) {
    public ChannelSelector {
        requireNonNull(channelId, "channelId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(raw, "raw is null");
    }
}
