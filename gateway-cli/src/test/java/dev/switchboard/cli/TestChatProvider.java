package dev.switchboard.cli;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.testkit.channel.TestChannelProvider;
import java.util.List;

/**
 * A Telegram-like reply-loop channel for CLI tests, found by {@code ChannelRegistry.discover()}
 * through {@code META-INF/services} in the test resources. Its id is not {@code telegram} so that it
 * never clashes with the real channel module on the class path. Its adapter connects at once, or
 * fails to start when the account's bot_token is {@code reject-me}; it receives nothing. Its probe fails
 * for the bot_token {@code revoked}.
 */
public final class TestChatProvider extends TestChannelProvider {
    public static final String ID = "testchat";

    public TestChatProvider() {
        super(Spec.replyLoop(ID, "allowed_chat_ids")
                .withAliases("tc")
                .withDisplayName("Test Chat")
                .withSecrets("bot_token")
                .withSettings("api_base_url"));
    }

    @Override
    public List<String> validate(AccountSettings settings) {
        String base = settings.string("api_base_url", "https://api.example");
        return base.startsWith("http://") || base.startsWith("https://")
                ? List.of()
                : List.of("api_base_url: '" + base + "' (expected: an http:// or https:// URL)");
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        return new ChannelAdapter() {
            @Override
            public void start() {
                if (context.settings().requiredSecret("bot_token").reveal().equals("reject-me")) {
                    throw new IllegalStateException("platform refused the token");
                }
                context.status().connected();
            }

            @Override
            public void send(OutboundMessage message) {}

            @Override
            public ProbeResult probe() {
                if (context.settings().requiredSecret("bot_token").reveal().equals("revoked")) {
                    return ProbeResult.failed("the platform rejected the bot token (401)");
                }
                return ProbeResult.ok("test chat bot");
            }

            @Override
            public void close() {}
        };
    }
}
