package dev.switchboard.core.selector;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.spi.ChannelProvider;

/**
 * An account chosen to run, and why it was chosen (shown at start-up and by {@code channels}).
 *
 * @param provider the channel
 * @param account the account's configuration
 * @param source how it was chosen
 */
public record SelectedAccount(ChannelProvider provider, AccountConfig account, Source source) {
    public SelectedAccount {
        requireNonNull(provider, "provider is null");
        requireNonNull(account, "account is null");
        requireNonNull(source, "source is null");
    }

    /** Why an account was picked. */
    public enum Source {
        /** Named by {@code --channel-account}. */
        SELECTOR("selected with --channel-account"),
        /** The section's {@code default_account}. */
        DEFAULT_ACCOUNT("default_account"),
        /** The only account of the section. */
        ONLY_ACCOUNT("only account"),
        /** An account literally named {@code default}. */
        NAMED_DEFAULT("account named 'default'"),
        /** Every account of a cluster replica's families, run while its lease is held (docs/cluster.md). */
        CLUSTER_LEASE("leased by the cluster");

        private final String description;

        Source(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public String channelId() {
        return account.channelId();
    }

    public String accountId() {
        return account.accountId();
    }
}
