package dev.switchboard.core.cluster.internal;

import static java.util.Objects.requireNonNull;

/** One channel account, as the cluster leases it. */
public record AccountKey(String channel, String account) {
    public AccountKey {
        requireNonNull(channel, "channel is null");
        requireNonNull(account, "account is null");
    }

    /** {@code channel.account}, as status output and logs name accounts. */
    public String name() {
        return channel + "." + account;
    }
}
