package dev.switchboard.core.config;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Config-only stand-ins for the three channel modules, with their real keys: {@code telegram},
 * {@code feishu} (alias {@code lark}) and {@code wecom} (aliases {@code wechat-work}, {@code qywx}).
 * They validate like the real ones would but cannot create adapters. Reuse them in any core test
 * that needs a {@link ChannelRegistry}.
 */
public final class TestChannels {
    private TestChannels() {}

    /** The keys of channel-telegram's {@code TelegramChannelProvider} (docs/channels/telegram.md). */
    public static final ChannelProvider TELEGRAM =
            new Provider(
                    "telegram",
                    "Telegram",
                    Set.of(),
                    Set.of(
                            "bot_token",
                            "allowed_chat_ids",
                            "api_base_url",
                            "require_mention",
                            "poll_timeout_seconds",
                            "mode",
                            "webhook_url",
                            "webhook_secret"),
                    Set.of("bot_token", "webhook_secret"),
                    "allowed_chat_ids") {
                @Override
                public Set<String> credentialKeys() {
                    return Set.of("bot_token");
                }
            };

    /** Validates {@code mode} (websocket | webhook), {@code domain} (feishu | lark) and webhook secrets. */
    public static final ChannelProvider FEISHU =
            new Provider(
                    "feishu",
                    "Feishu/Lark",
                    Set.of("lark"),
                    Set.of(
                            "mode",
                            "domain",
                            "app_id",
                            "app_secret",
                            "allowed_chat_ids",
                            "base_url",
                            "require_mention",
                            "verification_token",
                            "encrypt_key"),
                    Set.of("app_id", "app_secret", "verification_token", "encrypt_key"),
                    "allowed_chat_ids") {
                @Override
                public Set<String> credentialKeys() {
                    return Set.of("app_id");
                }

                @Override
                public List<String> validate(AccountSettings settings) {
                    List<String> problems = new ArrayList<>();
                    String mode = settings.string("mode", "websocket");
                    if (!mode.equals("websocket") && !mode.equals("webhook")) {
                        problems.add("mode: '" + mode + "' (expected: websocket | webhook)");
                    }
                    String domain = settings.string("domain", "feishu");
                    if (!domain.equals("feishu") && !domain.equals("lark")) {
                        problems.add("domain: '" + domain + "' (expected: feishu | lark)");
                    }
                    if (mode.equals("webhook")) {
                        for (String key : List.of("verification_token", "encrypt_key")) {
                            if (settings.secret(key).isEmpty()) {
                                problems.add("webhook mode needs " + key);
                            }
                        }
                    }
                    return problems;
                }
            };

    public static final ChannelProvider WECOM = new Provider(
            "wecom",
            "WeCom",
            Set.of("wechat-work", "qywx"),
            Set.of("bot_id", "secret", "allowed_conversation_ids", "ws_url"),
            Set.of("bot_id", "secret"),
            "allowed_conversation_ids");

    /** The three providers, by id. */
    public static ChannelRegistry registry() {
        return ChannelRegistry.of(TELEGRAM, FEISHU, WECOM);
    }

    private static class Provider implements ChannelProvider {
        private final String id;
        private final String displayName;
        private final Set<String> aliases;
        private final Set<String> accountKeys;
        private final Set<String> secretKeys;
        private final String allowlistKey;

        Provider(
                String id,
                String displayName,
                Set<String> aliases,
                Set<String> accountKeys,
                Set<String> secretKeys,
                String allowlistKey) {
            this.id = id;
            this.displayName = displayName;
            this.aliases = aliases;
            this.accountKeys = accountKeys;
            this.secretKeys = secretKeys;
            this.allowlistKey = allowlistKey;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String displayName() {
            return displayName;
        }

        @Override
        public Set<String> aliases() {
            return aliases;
        }

        @Override
        public Set<String> accountKeys() {
            return accountKeys;
        }

        @Override
        public Set<String> secretKeys() {
            return secretKeys;
        }

        @Override
        public String allowlistKey() {
            return allowlistKey;
        }

        @Override
        public ChannelAdapter create(ChannelContext context) {
            throw new UnsupportedOperationException("TestChannels." + id + " is for config tests only");
        }

        @Override
        public String toString() {
            return "TestChannels." + id;
        }
    }
}
