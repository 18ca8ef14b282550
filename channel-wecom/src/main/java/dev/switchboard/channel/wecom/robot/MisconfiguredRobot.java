package dev.switchboard.channel.wecom.robot;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import dev.switchboard.spi.StatusReporter;

/**
 * A robot whose resolved settings are invalid (the whole webhook URL given as its key: only visible once the
 * secret is resolved). A setting never fixes itself, so the account fails permanently instead of restarting.
 */
final class MisconfiguredRobot implements ChannelAdapter {
    private final StatusReporter status;
    private final String problem;

    MisconfiguredRobot(StatusReporter status, String problem) {
        this.status = requireNonNull(status, "status is null");
        this.problem = requireNonNull(problem, "problem is null");
    }

    @Override
    public void start() {
        status.failed(problem, true);
    }

    @Override
    public void send(OutboundMessage message) {
        throw SendException.permanent(problem);
    }

    @Override
    public ProbeResult probe() {
        return ProbeResult.failed(problem);
    }

    @Override
    public void close() {}
}
