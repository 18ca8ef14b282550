package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.protocol.AccountState;
import dev.switchboard.protocol.ChannelStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayTextTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");

    @Test
    void anAccountWaitingAsItsPlatformAskedShowsWhenItResumes() {
        ChannelStatus waiting = status(AccountState.RECONNECTING, Optional.of(NOW.plus(Duration.ofSeconds(3598))));
        ChannelStatus connected = status(AccountState.CONNECTED, Optional.empty());

        List<String> table = GatewayText.channelTable(List.of(waiting, connected), false, NOW);

        assertThat(table.get(1)).contains("reconnecting (resumes in 59m58s)");
        assertThat(table.get(2)).contains("connected").doesNotContain("resumes");
    }

    private static ChannelStatus status(AccountState state, Optional<Instant> resumesAt) {
        return new ChannelStatus(
                "telegram",
                "ops",
                state,
                Optional.empty(),
                NOW,
                Optional.empty(),
                Optional.empty(),
                0,
                0,
                0,
                0,
                0,
                resumesAt,
                Optional.empty());
    }
}
