package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import java.util.List;
import java.util.Set;

/**
 * Enforces an account's conversation allowlist before a message goes any further (SPEC §6):
 * messages from other conversations are dropped, counted, and never stored or answered. A literal
 * {@code "*"} admits every conversation.
 */
final class AllowlistGate implements InboundSink {
    private final Set<String> allowed;
    private final boolean any;
    private final InboundSink next;
    private final AccountStatusTracker tracker;

    AllowlistGate(List<String> allowlist, InboundSink next, AccountStatusTracker tracker) {
        this.allowed = Set.copyOf(allowlist);
        this.any = allowed.contains("*");
        this.next = requireNonNull(next, "next is null");
        this.tracker = requireNonNull(tracker, "tracker is null");
    }

    @Override
    public Result accept(InboundMessage message) {
        if (!any && !allowed.contains(message.conversationId())) {
            tracker.dropped();
            return Result.DROPPED;
        }
        Result result = next.accept(message);
        switch (result) {
            case ACCEPTED -> tracker.inbound();
            case DROPPED -> tracker.dropped();
            case DUPLICATE -> {}
        }
        return result;
    }
}
