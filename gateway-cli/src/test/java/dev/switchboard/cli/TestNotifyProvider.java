package dev.switchboard.cli;

import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import java.util.Set;

/** An outbound-only channel for CLI tests (a group-robot webhook): never in the reply loop. */
public final class TestNotifyProvider implements ChannelProvider {
    public static final String ID = "testnotify";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Test Notify";
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.OUTBOUND_ONLY;
    }

    @Override
    public Set<String> accountKeys() {
        return Set.of("webhook_key", "targets");
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("webhook_key");
    }

    @Override
    public String allowlistKey() {
        return "targets";
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        throw new UnsupportedOperationException("TestNotifyProvider is for CLI config tests only");
    }
}
