package dev.switchboard.core.cluster.internal;

import dev.switchboard.core.store.internal.Fence;
import java.util.Optional;

/**
 * Which accounts this gateway acts for now. A single gateway acts for all of its accounts, with no
 * fence; a cluster replica only for those whose lease it holds (docs/cluster.md).
 */
public interface AccountOwnership {
    /** A single gateway's: every account, no fence. */
    AccountOwnership SOLE = new AccountOwnership() {
        @Override
        public boolean owns(String channel, String account) {
            return true;
        }

        @Override
        public Optional<Fence> fence(String channel, String account) {
            return Optional.empty();
        }
    };

    /** Whether this gateway may send for, and answer, the account now. */
    boolean owns(String channel, String account);

    /** The fence its writes for the account carry; empty on a single gateway or when not held. */
    Optional<Fence> fence(String channel, String account);
}
