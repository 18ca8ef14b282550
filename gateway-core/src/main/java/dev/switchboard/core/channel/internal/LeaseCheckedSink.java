package dev.switchboard.core.channel.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.InboundSink;
import java.util.List;

/**
 * Refuses inbound messages once the account's lease has lapsed on this replica: the adapter then
 * does not acknowledge them, and the replica that took the account over receives them again.
 */
final class LeaseCheckedSink implements InboundSink {
    private final InboundSink next;
    private final AccountLease lease;
    private final String account;

    LeaseCheckedSink(InboundSink next, AccountLease lease, String account) {
        this.next = requireNonNull(next, "next is null");
        this.lease = requireNonNull(lease, "lease is null");
        this.account = requireNonNull(account, "account is null");
    }

    @Override
    public Result accept(InboundMessage message) {
        requireHeld();
        return next.accept(message);
    }

    @Override
    public List<Result> acceptAll(List<InboundMessage> messages) {
        requireHeld();
        return next.acceptAll(messages);
    }

    private void requireHeld() {
        if (!lease.isHeld()) {
            throw new InboundRejectedException(account + ": this replica's lease on the account has lapsed", null);
        }
    }
}
