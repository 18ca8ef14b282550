package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

/** The adapter of {@link ChannelAdapter#misconfigured}: fails for good, with the settings problem as the reason. */
final class MisconfiguredAdapter implements ChannelAdapter {
    private final StatusReporter status;
    private final String problem;

    MisconfiguredAdapter(StatusReporter status, String problem) {
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
