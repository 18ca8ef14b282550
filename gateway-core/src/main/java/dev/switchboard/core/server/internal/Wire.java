package dev.switchboard.core.server.internal;

import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.protocol.AccountState;
import dev.switchboard.protocol.ChannelStatus;
import dev.switchboard.protocol.Probe;
import dev.switchboard.spi.ProbeResult;
import java.util.Optional;

/**
 * The gateway's own types as the protocol's payload records carry them: the one place an SPI value
 * becomes a wire value.
 */
public final class Wire {
    private Wire() {}

    public static AccountState state(dev.switchboard.core.channel.AccountState state) {
        return AccountState.fromWire(state.wireName());
    }

    public static Probe probe(ProbeResult result) {
        return new Probe(result.ok(), result.detail());
    }

    /** One account as the {@code channel} event and {@code channels.status} show it. */
    public static ChannelStatus channel(AccountStatus status, Optional<ProbeResult> probe) {
        return new ChannelStatus(
                status.channelId(),
                status.accountId(),
                state(status.state()),
                status.lastError(),
                status.since(),
                status.lastInboundAt(),
                status.lastOutboundAt(),
                status.restarts(),
                status.inbound(),
                status.dropped(),
                status.outbound(),
                status.failed(),
                status.resumesAt(),
                probe.map(Wire::probe));
    }
}
