package dev.switchboard.testkit.tck;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import java.util.Optional;

/**
 * An adapter whose every call is bounded by {@link BoundedCalls}. A call past its budget is recorded (the
 * test fails naming it) and answered as the gateway handles a failure of that call: {@code start()} throws,
 * {@code send()} throws a retryable {@link SendException}, {@code probe()} reports a failure, {@code
 * close()} and {@code typing()} return.
 */
final class InstrumentedAdapter implements ChannelAdapter {
    private final ChannelAdapter adapter;
    private final BoundedCalls calls;

    InstrumentedAdapter(ChannelAdapter adapter, BoundedCalls calls) {
        this.adapter = requireNonNull(adapter, "adapter is null");
        this.calls = requireNonNull(calls, "calls is null");
    }

    @Override
    public void start() {
        calls.run("ChannelAdapter.start()", adapter::start);
    }

    @Override
    public void send(OutboundMessage message) {
        try {
            calls.run("ChannelAdapter.send()", () -> adapter.send(message));
        } catch (BoundedCalls.CallTimedOut e) {
            throw SendException.retryable(e.violation(), e);
        }
    }

    @Override
    public void typing(String conversationId, Optional<String> threadId) {
        try {
            calls.run("ChannelAdapter.typing()", () -> adapter.typing(conversationId, threadId));
        } catch (BoundedCalls.CallTimedOut e) {
            // recorded; typing is best effort
        }
    }

    @Override
    public ProbeResult probe() {
        try {
            return calls.call("ChannelAdapter.probe()", adapter::probe);
        } catch (BoundedCalls.CallTimedOut e) {
            return ProbeResult.failed(e.violation());
        }
    }

    @Override
    public void close() {
        try {
            calls.run("ChannelAdapter.close()", adapter::close);
        } catch (BoundedCalls.CallTimedOut e) {
            // recorded; the gateway goes on stopping
        }
    }

    @Override
    public String toString() {
        return adapter.toString();
    }
}
