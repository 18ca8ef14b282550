package com.example.relay;

import dev.switchboard.testkit.tck.ChannelTck;
import dev.switchboard.testkit.tck.TckPlatform;

/** The channel TCK against the fake Relay: every rule a Switchboard channel must keep. */
class RelayTckTest extends ChannelTck {
    @Override
    protected TckPlatform startPlatform() {
        return new RelayTckPlatform();
    }
}
