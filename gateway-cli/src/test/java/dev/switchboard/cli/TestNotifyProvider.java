package dev.switchboard.cli;

import dev.switchboard.testkit.channel.TestChannelProvider;

/** An outbound-only channel for CLI config tests (a group-robot webhook): never in the reply loop. */
public final class TestNotifyProvider extends TestChannelProvider {
    public static final String ID = "testnotify";

    public TestNotifyProvider() {
        super(Spec.outboundOnly(ID, "targets").withDisplayName("Test Notify").withSecrets("webhook_key"));
    }
}
