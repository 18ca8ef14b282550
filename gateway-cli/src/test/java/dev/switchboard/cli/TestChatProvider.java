package dev.switchboard.cli;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelProvider;
import java.util.List;
import java.util.Set;

/**
 * A Telegram-like reply-loop channel for CLI tests, found by {@code ChannelRegistry.discover()}
 * through {@code META-INF/services} in the test resources. Its id is not {@code telegram} so that it
 * never clashes with the real channel module on the class path. Config only: it creates no adapter.
 */
public final class TestChatProvider implements ChannelProvider {
    public static final String ID = "testchat";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<String> aliases() {
        return Set.of("tc");
    }

    @Override
    public String displayName() {
        return "Test Chat";
    }

    @Override
    public Set<String> accountKeys() {
        return Set.of("bot_token", "allowed_chat_ids", "api_base_url");
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("bot_token");
    }

    @Override
    public String allowlistKey() {
        return "allowed_chat_ids";
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
        throw new UnsupportedOperationException("TestChatProvider is for CLI config tests only");
    }
}
