package dev.switchboard.channel.telegram;

import dev.switchboard.testkit.tck.ChannelTck;
import dev.switchboard.testkit.tck.FakeTelegramPlatform;
import dev.switchboard.testkit.tck.TckPlatform;

/** The channel TCK (docs/channels/tck.md) against the fake Bot API. */
class TelegramChannelTckTest extends ChannelTck {
    @Override
    protected TckPlatform startPlatform() {
        return FakeTelegramPlatform.start(TelegramChannelProvider.ID)
                .refuses("bot_token = \"x\"\napi_base_url = \"not a url\"\nallowed_chat_ids = [42]", "api_base_url")
                .refuses("bot_token = \"x\"\nallowed_chat_ids = [\"general\"]", "allowed_chat_ids");
    }
}
