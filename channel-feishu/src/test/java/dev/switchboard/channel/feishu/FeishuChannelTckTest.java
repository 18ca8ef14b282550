package dev.switchboard.channel.feishu;

import dev.switchboard.testkit.tck.ChannelTck;
import dev.switchboard.testkit.tck.TckPlatform;

/** The channel TCK (docs/channels/tck.md) against the fake open platform, over the long connection. */
class FeishuChannelTckTest extends ChannelTck {
    @Override
    protected TckPlatform startPlatform() {
        return new FeishuTckPlatform(FeishuSettings.Mode.WEBSOCKET);
    }
}
