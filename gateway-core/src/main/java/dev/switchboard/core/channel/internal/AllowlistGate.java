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
    /** Replaced whole by a reload; read once per decision. */
    private volatile Set<String> allowed;

    private final InboundSink next;
    private final AccountStatusTracker tracker;

    AllowlistGate(List<String> allowlist, InboundSink next, AccountStatusTracker tracker) {
        this.allowed = Set.copyOf(allowlist);
        this.next = requireNonNull(next, "next is null");
        this.tracker = requireNonNull(tracker, "tracker is null");
    }

    @Override
    public Result accept(InboundMessage message) {
        return count(admits(allowed, message) ? next.accept(message) : Result.DROPPED);
    }

    @Override
    public List<Result> acceptAll(List<InboundMessage> messages) {
        Set<String> current = allowed; // one allowlist for the whole batch, even if a reload swaps it
        List<InboundMessage> admitted = new ArrayList<>(messages.size());
        for (InboundMessage message : messages) {
            if (admits(current, message)) {
                admitted.add(message);
            }
        }
        Iterator<Result> stored = admitted.isEmpty()
                ? Collections.emptyIterator()
                : next.acceptAll(admitted).iterator();
        List<Result> results = new ArrayList<>(messages.size());
        for (InboundMessage message : messages) {
            results.add(count(admits(current, message) ? stored.next() : Result.DROPPED));
        }
        return results;
    }

    /** Takes a new allowlist (a hot reload): the next message is checked against it. */
    void update(List<String> allowlist) {
        this.allowed = Set.copyOf(allowlist);
    }

    private static boolean admits(Set<String> current, InboundMessage message) {
        return current.contains("*") || current.contains(message.conversationId());
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
