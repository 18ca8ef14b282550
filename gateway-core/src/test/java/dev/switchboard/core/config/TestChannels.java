package dev.switchboard.core.config;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.ReloadKind;
import dev.switchboard.testkit.channel.TestChannelProvider;
import dev.switchboard.testkit.channel.TestChannelProvider.Spec;
import java.util.ArrayList;
import java.util.List;

/**
 * Config-only stand-ins for the channel modules' providers, with their real keys: {@code telegram},
 * {@code feishu} (alias {@code lark}), {@code wecom} (aliases {@code wechat-work}, {@code qywx}) and the
 * outbound-only {@code wecom-webhook}.
 * They validate like the real ones would but cannot create adapters. Reuse them in any core test
 * that needs a {@link ChannelRegistry}.
 */
public final class TestChannels {
    private TestChannels() {}

    /** The keys of channel-telegram's {@code TelegramChannelProvider} (docs/channels/telegram.md). */
    public static final ChannelProvider TELEGRAM =
            new TestChannelProvider(Spec.replyLoop("telegram", "allowed_chat_ids")
                    .withDisplayName("Telegram")
                    .withSecrets("bot_token", "webhook_secret")
                    .withCredentials("bot_token")
                    .withSettings("api_base_url", "require_mention", "poll_timeout_seconds", "mode", "webhook_url"));

    /** Validates {@code mode} (websocket | webhook), {@code domain} (feishu | lark) and webhook secrets. */
    public static final ChannelProvider FEISHU =
            new TestChannelProvider(Spec.replyLoop("feishu", "allowed_chat_ids")
                    .withDisplayName("Feishu/Lark")
                    .withAliases("lark")
                    .withSecrets("app_id", "app_secret", "verification_token", "encrypt_key")
                    .withCredentials("app_id")
                    .withSettings("mode", "domain", "base_url", "require_mention")) {
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

    public static final ChannelProvider WECOM =
            new TestChannelProvider(Spec.replyLoop("wecom", "allowed_conversation_ids")
                    .withDisplayName("WeCom")
                    .withAliases("wechat-work", "qywx")
                    .withSecrets("bot_id", "secret")
                    .withCredentials("bot_id")
                    .withSettings("ws_url", "allowed_sender_ids", "welcome_message", "ping_interval"));

    /** The outbound-only WeCom group robot of channel-wecom (docs/channels/wecom-webhook.md). */
    public static final ChannelProvider WECOM_WEBHOOK =
            new TestChannelProvider(Spec.outboundOnly("wecom-webhook", "allowed_conversation_ids")
                    .withDisplayName("WeCom robot")
                    .withSecrets("key")
                    .withSettings("base_url", "msgtype", "rate_limit_wait")) {
                /** As the real robot: it checks send targets against the allowlist it started with. */
                @Override
                public ReloadKind reloadKind(String key) {
                    return ReloadKind.CHANNEL;
                }
            };

    /** The providers, by id. */
    public static ChannelRegistry registry() {
        return ChannelRegistry.of(TELEGRAM, FEISHU, WECOM, WECOM_WEBHOOK);
    }
}
