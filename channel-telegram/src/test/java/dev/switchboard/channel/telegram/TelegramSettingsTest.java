package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigException;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelegramSettingsTest {
    private static final String TOKEN = "123456789:AAEabcdefghijklmnopqrstuvwxyz0123456";
    private final ConfigLoader loader = new ConfigLoader(ChannelRegistry.of(new TelegramChannelProvider()));

    private static AccountSettings settings(String hocon, Map<String, Secret> secrets) {
        return new AccountSettings("telegram", "main", ConfigFactory.parseString(hocon), secrets);
    }

    @Test
    void defaults() {
        TelegramSettings settings =
                TelegramSettings.from(settings("allowed_chat_ids = [1]", Map.of("bot_token", Secret.of(TOKEN))));

        assertThat(settings.apiBaseUrl()).isEqualTo("https://api.telegram.org");
        assertThat(settings.requireMention()).isTrue();
        assertThat(settings.pollTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(settings.mode()).isEqualTo(TelegramSettings.Mode.POLLING);
        assertThat(settings.toString()).contains("123456789").doesNotContain(TOKEN);
    }

    @Test
    void theConfigFileReportsEveryProblemNamingTheKey() {
        String toml =
                """
                [telegram.accounts.main]
                bot_token = { env = "TELEGRAM_BOT_TOKEN" }
                allowed_chat_ids = [123, "@ops_room"]
                api_base_url = "ftp://example.org"
                poll_timeout_seconds = 90
                require_mention = "sometimes"
                mode = "webhook"
                """;

        assertThatThrownBy(() -> loader.parse(toml, "switchboard.toml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("allowed_chat_ids: \"@ops_room\" is not a chat id (expected: integer chat ids")
                .hasMessageContaining("api_base_url: \"ftp://example.org\" (expected: an http:// or https:// URL")
                .hasMessageContaining("poll_timeout_seconds: 90 (expected: a whole number of seconds, 1..50)")
                .hasMessageContaining("require_mention: \"sometimes\" (expected: true or false)")
                .hasMessageContaining("webhook mode needs webhook_url")
                .hasMessageContaining("webhook mode needs webhook_secret");
    }

    @Test
    void aFractionalPollTimeoutIsRefusedNotRounded() {
        List<String> problems = TelegramSettings.problems(
                settings("allowed_chat_ids = [1], poll_timeout_seconds = 2.5", Map.of("bot_token", Secret.of(TOKEN))));

        assertThat(problems).containsExactly("poll_timeout_seconds: 2.5 (expected: a whole number of seconds, 1..50)");
    }

    @Test
    void thePollTimeoutMayBeWrittenAsAString() {
        TelegramSettings settings = TelegramSettings.from(settings(
                "allowed_chat_ids = [1], poll_timeout_seconds = \"40\"", Map.of("bot_token", Secret.of(TOKEN))));

        assertThat(settings.pollTimeout()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void aMalformedTokenIsNamedButNeverShown() {
        String bad = "not-a-token-but-a-secret";

        List<String> problems =
                TelegramSettings.problems(settings("allowed_chat_ids = [1]", Map.of("bot_token", Secret.of(bad))));

        assertThat(problems).singleElement().asString().startsWith("bot_token: not a Telegram bot token");
        assertThat(problems.get(0)).doesNotContain(bad);
    }

    @Test
    void aWebhookSecretTelegramWouldRefuseIsNamed() {
        List<String> problems = TelegramSettings.problems(settings(
                "allowed_chat_ids = [1], mode = webhook, webhook_url = \"https://bot.example.com/webhooks/telegram/main\"",
                Map.of("bot_token", Secret.of(TOKEN), "webhook_secret", Secret.of("has spaces!"))));

        assertThat(problems).singleElement().asString().startsWith("webhook_secret: not a valid secret_token");
    }
}
