package dev.switchboard.channel.telegram;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Telegram account's settings (docs/channels/telegram.md lists every key).
 *
 * @param botToken the token BotFather gave, {@code <digits>:<secret>}
 * @param apiBaseUrl where the Bot API lives, without a trailing slash
 * @param requireMention in groups, answer only messages that mention the bot, reply to it, or are
 *     commands for it
 * @param pollTimeout the long-poll {@code timeout} of {@code getUpdates}
 * @param mode how updates arrive
 * @param webhookUrl the public URL Telegram posts updates to (webhook mode)
 * @param webhookSecret the {@code secret_token} Telegram sends back with every update (webhook mode)
 */
public record TelegramSettings(
        Secret botToken,
        String apiBaseUrl,
        boolean requireMention,
        Duration pollTimeout,
        Mode mode,
        Optional<String> webhookUrl,
        Optional<Secret> webhookSecret) {

    public static final String BOT_TOKEN = "bot_token";
    public static final String ALLOWED_CHAT_IDS = "allowed_chat_ids";
    public static final String API_BASE_URL = "api_base_url";
    public static final String REQUIRE_MENTION = "require_mention";
    public static final String POLL_TIMEOUT_SECONDS = "poll_timeout_seconds";
    public static final String MODE = "mode";
    public static final String WEBHOOK_URL = "webhook_url";
    public static final String WEBHOOK_SECRET = "webhook_secret";

    public static final String DEFAULT_API_BASE_URL = "https://api.telegram.org";
    public static final int DEFAULT_POLL_TIMEOUT_SECONDS = 25;
    /** Telegram's own ceiling for a long poll. */
    public static final int MAX_POLL_TIMEOUT_SECONDS = 50;

    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{30,}");
    private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,20}");
    // Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -
    private static final Pattern WEBHOOK_SECRET_CHARS = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    /** How updates reach the gateway. */
    public enum Mode {
        /** {@code getUpdates} long polling: no public URL needed. */
        POLLING,
        /** Telegram posts updates to {@code webhook_url}, served on the gateway's port. */
        WEBHOOK;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TelegramSettings {
        requireNonNull(botToken, "botToken is null");
        requireNonNull(apiBaseUrl, "apiBaseUrl is null");
        requireNonNull(pollTimeout, "pollTimeout is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(webhookUrl, "webhookUrl is null");
        requireNonNull(webhookSecret, "webhookSecret is null");
    }

    /**
     * Reads resolved settings; call {@link #problems(AccountSettings)} first (the gateway does, through
     * the provider's {@code validate}).
     *
     * @throws IllegalArgumentException naming the first problem, when the settings are invalid
     */
    public static TelegramSettings from(AccountSettings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return new TelegramSettings(
                settings.requiredSecret(BOT_TOKEN),
                stripTrailingSlash(settings.string(API_BASE_URL, DEFAULT_API_BASE_URL)),
                settings.bool(REQUIRE_MENTION, true),
                Duration.ofSeconds(settings.integer(POLL_TIMEOUT_SECONDS, DEFAULT_POLL_TIMEOUT_SECONDS)),
                Mode.valueOf(settings.string(MODE, "polling").toUpperCase(Locale.ROOT)),
                settings.string(WEBHOOK_URL),
                settings.secret(WEBHOOK_SECRET));
    }

    /**
     * Every problem with an account's settings, one line each, naming the key and what was expected.
     * Secret values are checked only when they are known (at config load they are empty placeholders)
     * and are never quoted.
     */
    public static List<String> problems(AccountSettings settings) {
        List<String> problems = new ArrayList<>();
        Config values = settings.values();

        Optional<Secret> token = settings.secret(BOT_TOKEN);
        if (token.isEmpty()) {
            problems.add(BOT_TOKEN
                    + ": missing (expected: the token BotFather gave, e.g. { env = \"TELEGRAM_BOT_TOKEN\" })");
        } else if (!token.get().isEmpty()
                && !TOKEN.matcher(token.get().reveal()).matches()) {
            problems.add(BOT_TOKEN + ": not a Telegram bot token (expected: <bot id>:<secret> as BotFather"
                    + " gives it, e.g. 123456789:AAE...; the value is not shown)");
        }

        for (String entry : settings.strings(ALLOWED_CHAT_IDS)) {
            if (!entry.equals("*") && !CHAT_ID.matcher(entry).matches()) {
                problems.add(ALLOWED_CHAT_IDS + ": \"" + entry + "\" is not a chat id (expected: integer chat ids"
                        + " such as 123456789 or -1001234567890, or \"*\" for any chat)");
            }
        }

        String baseUrl = settings.string(API_BASE_URL, DEFAULT_API_BASE_URL);
        if (!isHttpUrl(baseUrl)) {
            problems.add(API_BASE_URL + ": \"" + baseUrl + "\" (expected: an http:// or https:// URL such as "
                    + DEFAULT_API_BASE_URL + ")");
        }

        try {
            settings.bool(REQUIRE_MENTION, true);
        } catch (IllegalArgumentException e) {
            problems.add(
                    REQUIRE_MENTION + ": " + values.getValue(REQUIRE_MENTION).render() + " (expected: true or false)");
        }

        String expectedSeconds = " (expected: a whole number of seconds, 1.." + MAX_POLL_TIMEOUT_SECONDS + ")";
        try {
            int seconds = settings.integer(POLL_TIMEOUT_SECONDS, DEFAULT_POLL_TIMEOUT_SECONDS);
            if (seconds < 1 || seconds > MAX_POLL_TIMEOUT_SECONDS) {
                problems.add(POLL_TIMEOUT_SECONDS + ": " + seconds + expectedSeconds);
            }
        } catch (IllegalArgumentException e) {
            problems.add(POLL_TIMEOUT_SECONDS + ": "
                    + values.getValue(POLL_TIMEOUT_SECONDS).render() + expectedSeconds);
        }

        String mode = settings.string(MODE, "polling");
        boolean webhook = mode.equals("webhook");
        if (!webhook && !mode.equals("polling")) {
            problems.add(MODE + ": \"" + mode + "\" (expected: polling or webhook)");
        }
        Optional<String> webhookUrl = settings.string(WEBHOOK_URL);
        if (webhookUrl.isPresent() && !isHttpUrl(webhookUrl.get())) {
            problems.add(WEBHOOK_URL + ": \"" + webhookUrl.get()
                    + "\" (expected: the public https:// URL of this gateway's /webhooks/telegram/<account> route)");
        }
        if (webhook && webhookUrl.isEmpty()) {
            problems.add("webhook mode needs " + WEBHOOK_URL
                    + " (expected: the public https:// URL Telegram posts to, ending in /webhooks/telegram/"
                    + settings.accountId() + ")");
        }
        Optional<Secret> secret = settings.secret(WEBHOOK_SECRET);
        if (webhook && secret.isEmpty()) {
            problems.add("webhook mode needs " + WEBHOOK_SECRET
                    + " (expected: 1-256 characters A-Z a-z 0-9 _ -, Telegram sends it back with every update)");
        } else if (secret.isPresent()
                && !secret.get().isEmpty()
                && !WEBHOOK_SECRET_CHARS.matcher(secret.get().reveal()).matches()) {
            problems.add(WEBHOOK_SECRET + ": not a valid secret_token (expected: 1-256 characters A-Z a-z 0-9 _ -;"
                    + " the value is not shown)");
        }
        return problems;
    }

    /** The token without its secret part, for logs: {@code 123456:…}. */
    public String botIdHint() {
        String value = botToken.reveal();
        int colon = value.indexOf(':');
        return colon > 0 ? value.substring(0, colon) : "?";
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            return scheme != null
                    && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String stripTrailingSlash(String url) {
        String result = url;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    @Override
    public String toString() {
        return "TelegramSettings[bot " + botIdHint() + ", " + apiBaseUrl + ", " + mode.wireName() + ", require_mention="
                + requireMention + ", poll_timeout=" + pollTimeout.toSeconds() + "s]";
    }
}
