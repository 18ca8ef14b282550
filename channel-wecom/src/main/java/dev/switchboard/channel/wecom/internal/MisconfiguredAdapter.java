package dev.switchboard.channel.wecom.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import dev.switchboard.spi.StatusReporter;

/**
 * An account whose settings are invalid (a malformed token or key): it never connects, and a
 * malformed setting never fixes itself, so it fails permanently instead of restarting in a loop.
 */
public final class MisconfiguredAdapter implements ChannelAdapter {
    private final StatusReporter status;
    private final String problem;

    public MisconfiguredAdapter(StatusReporter status, String problem) {
        this.status = requireNonNull(status, "status is null");
        this.problem = requireNonNull(problem, "problem is null");
    }

    @Override
    public void start() {
        status.failed(problem, true);
    }

    @Override
    public void send(OutboundMessage message) {
        requireNonNull(message, "message is null");
        throw SendException.permanent(problem);
    }

    @Override
    public ProbeResult probe() {
        return ProbeResult.failed(problem);
    }

    @Override
    public void close() {}
}
