package dev.switchboard.core.channel.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
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
        return count(admits(message) ? next.accept(message) : Result.DROPPED);
    }

    @Override
    public List<Result> acceptAll(List<InboundMessage> messages) {
        List<InboundMessage> admitted = new ArrayList<>(messages.size());
        for (InboundMessage message : messages) {
            if (admits(message)) {
                admitted.add(message);
            }
        }
        Iterator<Result> stored = admitted.isEmpty()
                ? Collections.emptyIterator()
                : next.acceptAll(admitted).iterator();
        List<Result> results = new ArrayList<>(messages.size());
        for (InboundMessage message : messages) {
            results.add(count(admits(message) ? stored.next() : Result.DROPPED));
        }
        return results;
    }

    private boolean admits(InboundMessage message) {
        return any || allowed.contains(message.conversationId());
    }

    private Result count(Result result) {
        switch (result) {
            case ACCEPTED -> tracker.inbound();
            case DROPPED -> tracker.dropped();
            case DUPLICATE -> {}
        }
        return result;
    }
}
