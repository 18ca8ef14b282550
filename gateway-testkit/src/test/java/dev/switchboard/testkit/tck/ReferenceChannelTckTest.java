package dev.switchboard.testkit.tck;

/** The TCK against the reference channel: every test must pass. */
class ReferenceChannelTckTest extends ChannelTck {
    @Override
    protected TckPlatform startPlatform() {
        return FakeTelegramPlatform.start("tckref")
                .refuses(
                        "bot_token = \"x\"\napi_base_url = \"not a url\"\n" + "allowed_chat_ids = [42]",
                        "api_base_url: not a url (expected: an http:// or https:// URL)");
    }
}
