package dev.switchboard.channel.wecom;

import dev.switchboard.testkit.tck.ChannelTck;
import dev.switchboard.testkit.tck.TckPlatform;

/** The channel TCK (docs/channels/tck.md) against the fake WeCom AI-bot long connection. */
class WeComChannelTckTest extends ChannelTck {
    @Override
    protected TckPlatform startPlatform() {
        return new WeComTckPlatform();
    }
}
