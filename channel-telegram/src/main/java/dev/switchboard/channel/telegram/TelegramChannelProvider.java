package dev.switchboard.channel.telegram;

import static dev.switchboard.channel.telegram.TelegramSettings.ALLOWED_CHAT_IDS;
import static dev.switchboard.channel.telegram.TelegramSettings.API_BASE_URL;
import static dev.switchboard.channel.telegram.TelegramSettings.BOT_TOKEN;
import static dev.switchboard.channel.telegram.TelegramSettings.MODE;
import static dev.switchboard.channel.telegram.TelegramSettings.POLL_TIMEOUT_SECONDS;
import static dev.switchboard.channel.telegram.TelegramSettings.REQUIRE_MENTION;
import static dev.switchboard.channel.telegram.TelegramSettings.WEBHOOK_SECRET;
import static dev.switchboard.channel.telegram.TelegramSettings.WEBHOOK_URL;

import dev.switchboard.channel.telegram.internal.TelegramAdapter;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.List;
import java.util.Set;

/**
 * Telegram bots through the Bot API (SPEC §7): {@code getUpdates} long polling or a webhook on the
 * gateway's port, replies with {@code sendMessage}. Setup and every key: docs/channels/telegram.md.
 */
public final class TelegramChannelProvider implements ChannelProvider {
    public static final String ID = "telegram";

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Telegram";
    }

    @Override
    public Set<String> accountKeys() {
        return Set.of(
                BOT_TOKEN,
                ALLOWED_CHAT_IDS,
                API_BASE_URL,
                REQUIRE_MENTION,
                POLL_TIMEOUT_SECONDS,
                MODE,
                WEBHOOK_URL,
                WEBHOOK_SECRET);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(BOT_TOKEN, WEBHOOK_SECRET);
    }

    @Override
    public Set<String> webhookModeKeys() {
        return Set.of(WEBHOOK_URL, WEBHOOK_SECRET);
    }

    @Override
    public Set<String> credentialKeys() {
        return Set.of(BOT_TOKEN);
    }

    @Override
    public String allowlistKey() {
        return ALLOWED_CHAT_IDS;
    }

    @Override
    public List<String> validate(AccountSettings settings) {
        return TelegramSettings.problems(settings);
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        List<String> problems = TelegramSettings.problems(context.settings());
        return problems.isEmpty()
                ? new TelegramAdapter(context, TelegramSettings.from(context.settings()))
                : ChannelAdapter.misconfigured(context.status(), problems.get(0));
    }
}
