package dev.switchboard.testkit.tck;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.InboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the TCK puts between the gateway and the channel under test, per test: every call into the channel is
 * bounded ({@link BoundedCalls}), the gateway's accept can be made to fail once for a given message (as a full
 * disk would), and the channel's {@code skipped} reports are recorded.
 */
final class Instrumentation {
    final BoundedCalls calls;
    /** Texts whose first accept throws; an entry is removed when that accept failed. */
    private final Set<String> failFirstAccept = ConcurrentHashMap.newKeySet();
    /** Texts whose accept takes the store down: it and every accept after it throw until {@link #storeBack()}. */
    private final Set<String> storeDiesAt = ConcurrentHashMap.newKeySet();

    private final Set<String> acceptFailed = ConcurrentHashMap.newKeySet();
    private final List<String> skipped = new CopyOnWriteArrayList<>();
    private volatile boolean storeDown;

    Instrumentation(Duration callBudget) {
        this.calls = new BoundedCalls(callBudget);
    }

    /** {@code provider} with everything it creates instrumented. */
    ChannelProvider wrap(ChannelProvider provider) {
        return new InstrumentedProvider(provider, this);
    }

    /** The next accept of a message with {@code text} fails as if the store could not write. */
    void failFirstAcceptOf(String text) {
        failFirstAccept.add(requireNonNull(text, "text is null"));
    }

    /**
     * The store dies at the accept of a message with {@code text}: that accept and every later one fail, as
     * in a gateway about to go down, until {@link #storeBack()}.
     */
    void storeDiesAtAcceptOf(String text) {
        storeDiesAt.add(requireNonNull(text, "text is null"));
    }

    /** Whether the store is down ({@link #storeDiesAtAcceptOf}): nothing can be stored. */
    boolean storeDown() {
        return storeDown;
    }

    /** Accepts work again (a new gateway runs on the same state). */
    void storeBack() {
        storeDown = false;
    }

    /** Whether the accept of {@code text} was made to fail. */
    boolean acceptFailed(String text) {
        return acceptFailed.contains(text);
    }

    /** The reasons the channel reported with {@code StatusReporter.skipped}, in order. */
    List<String> skipped() {
        return List.copyOf(skipped);
    }

    void recordSkipped(String reason) {
        skipped.add(reason);
    }

    /** Whether the gateway's accept of {@code message} is to fail now. */
    boolean takeAcceptFailure(InboundMessage message) {
        if (storeDown) {
            return true;
        }
        if (storeDiesAt.remove(message.text())) {
            storeDown = true;
            acceptFailed.add(message.text());
            return true;
        }
        if (failFirstAccept.remove(message.text())) {
            acceptFailed.add(message.text());
            return true;
        }
        return false;
    }
}
