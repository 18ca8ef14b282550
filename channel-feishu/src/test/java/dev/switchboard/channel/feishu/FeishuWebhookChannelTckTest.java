package dev.switchboard.channel.feishu;

import dev.switchboard.core.Gateway;
import dev.switchboard.testkit.tck.ChannelTck;
import dev.switchboard.testkit.tck.TckPlatform;

/** The channel TCK (docs/channels/tck.md) in webhook mode: the fake posts encrypted, signed events to the route. */
class FeishuWebhookChannelTckTest extends ChannelTck {
    @Override
    protected TckPlatform startPlatform() {
        return new FeishuWebhookTckPlatform();
    }

    @Override
    protected Gateway startConnected() {
        return pointed(super.startConnected());
    }

    @Override
    protected Gateway restart(Gateway stopped) {
        return pointed(super.restart(stopped));
    }

    /** The gateway's port is known once it runs: the fake delivers there from now on. */
    private Gateway pointed(Gateway gateway) {
        ((FeishuWebhookTckPlatform) platform).deliverTo(gateway.port());
        return gateway;
    }
}
