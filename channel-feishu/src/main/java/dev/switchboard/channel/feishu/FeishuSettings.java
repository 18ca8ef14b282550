package dev.switchboard.channel.feishu;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Feishu/Lark app's settings (docs/channels/feishu.md lists every key).
 *
 * @param appId the app's id, {@code cli_...}: a secret field (SPEC §2.2 takes it from the environment), so it
 *     is redacted like one
 * @param appSecret the app's secret, exchanged for a tenant access token
 * @param domain which platform the app lives on
 * @param baseUrl where the open platform lives, without a trailing slash: the domain's, or {@code base_url}
 * @param mode how events arrive
 * @param requireMention in groups, answer only messages that mention the bot
 * @param verificationToken the event subscription's verification token (webhook mode)
 * @param encryptKey the event subscription's encrypt key: events are AES-256-CBC encrypted and signed (webhook
 *     mode)
 */
public record FeishuSettings(
        Secret appId,
        Secret appSecret,
        Domain domain,
        String baseUrl,
        Mode mode,
        boolean requireMention,
        Optional<Secret> verificationToken,
        Optional<Secret> encryptKey) {

    public static final String APP_ID = "app_id";
    public static final String APP_SECRET = "app_secret";
    public static final String DOMAIN = "domain";
    public static final String BASE_URL = "base_url";
    public static final String MODE = "mode";
    public static final String ALLOWED_CHAT_IDS = "allowed_chat_ids";
    public static final String REQUIRE_MENTION = "require_mention";
    public static final String VERIFICATION_TOKEN = "verification_token";
    public static final String ENCRYPT_KEY = "encrypt_key";

    // an app id is cli_ and 16 hex digits today; accept any cli_ id of word characters
    private static final Pattern APP_ID_SHAPE = Pattern.compile("cli_[A-Za-z0-9]{1,64}");
    // chat ids are oc_ (groups and p2p chats); "*" is any chat
    private static final Pattern CHAT_ID = Pattern.compile("oc_[A-Za-z0-9_-]{1,128}");

    /** Which open platform the app belongs to. */
    public enum Domain {
        /** Feishu, in mainland China. */
        FEISHU("https://open.feishu.cn"),
        /** Lark, everywhere else. */
        LARK("https://open.larksuite.com");

        private final String baseUrl;

        Domain(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public String baseUrl() {
            return baseUrl;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How events reach the gateway. */
    public enum Mode {
        /** The long connection the app opens to the platform: no public URL needed. */
        WEBSOCKET,
        /** The platform posts events to {@code /webhooks/feishu/<account>} on the gateway's port. */
        WEBHOOK;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public FeishuSettings {
        requireNonNull(appId, "appId is null");
        requireNonNull(appSecret, "appSecret is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(verificationToken, "verificationToken is null");
        requireNonNull(encryptKey, "encryptKey is null");
    }

    /**
     * Reads resolved settings; call {@link #problems(AccountSettings)} first (the gateway does, through the
     * provider's {@code validate}).
     *
     * @throws IllegalArgumentException naming the first problem, when the settings are invalid
     */
    public static FeishuSettings from(AccountSettings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        Domain domain = Domain.valueOf(settings.string(DOMAIN, "feishu").toUpperCase(Locale.ROOT));
        return new FeishuSettings(
                settings.requiredSecret(APP_ID),
                settings.requiredSecret(APP_SECRET),
                domain,
                stripTrailingSlash(settings.string(BASE_URL, domain.baseUrl())),
                Mode.valueOf(settings.string(MODE, "websocket").toUpperCase(Locale.ROOT)),
                settings.bool(REQUIRE_MENTION, true),
                settings.secret(VERIFICATION_TOKEN),
                settings.secret(ENCRYPT_KEY));
    }

    /**
     * Every problem with an account's settings, one line each, naming the key and what was expected. Secret
     * values are checked only when they are known (at config load they are empty placeholders) and are never
     * quoted.
     */
    public static List<String> problems(AccountSettings settings) {
        List<String> problems = new ArrayList<>();
        Config values = settings.values();

        Optional<Secret> appId = settings.secret(APP_ID);
        if (appId.isEmpty()) {
            problems.add(APP_ID + ": missing (expected: the app's id from the developer console, e.g."
                    + " { env = \"LARK_APP_ID\" } holding cli_a1b2c3d4e5f6a7b8)");
        } else if (!appId.get().isEmpty()
                && !APP_ID_SHAPE.matcher(appId.get().reveal()).matches()) {
            problems.add(APP_ID + ": not an app id (expected: cli_ followed by letters and digits, as the developer"
                    + " console shows it; the value is not shown)");
        }
        if (settings.secret(APP_SECRET).isEmpty()) {
            problems.add(APP_SECRET + ": missing (expected: the app's secret, e.g. { env = \"LARK_APP_SECRET\" })");
        }

        String domain = settings.string(DOMAIN, "feishu");
        if (!domain.equals("feishu") && !domain.equals("lark")) {
            problems.add(
                    DOMAIN + ": \"" + domain + "\" (expected: feishu (open.feishu.cn) or lark (open.larksuite.com))");
        }
        Optional<String> baseUrl = settings.string(BASE_URL);
        if (baseUrl.isPresent() && !isHttpUrl(baseUrl.get())) {
            problems.add(BASE_URL + ": \"" + baseUrl.get() + "\" (expected: an http:// or https:// URL such as "
                    + Domain.FEISHU.baseUrl() + ")");
        }

        for (String entry : settings.strings(ALLOWED_CHAT_IDS)) {
            if (!entry.equals("*") && !CHAT_ID.matcher(entry).matches()) {
                problems.add(ALLOWED_CHAT_IDS + ": \"" + entry + "\" is not a chat id (expected: chat ids such as"
                        + " oc_a0553eda9014c201e6969b478895c230, or \"*\" for any chat)");
            }
        }

        try {
            settings.bool(REQUIRE_MENTION, true);
        } catch (IllegalArgumentException e) {
            problems.add(
                    REQUIRE_MENTION + ": " + values.getValue(REQUIRE_MENTION).render() + " (expected: true or false)");
        }

        String mode = settings.string(MODE, "websocket");
        boolean webhook = mode.equals("webhook");
        if (!webhook && !mode.equals("websocket")) {
            problems.add(MODE + ": \"" + mode + "\" (expected: websocket or webhook)");
        }
        if (webhook && settings.secret(VERIFICATION_TOKEN).isEmpty()) {
            problems.add("webhook mode needs " + VERIFICATION_TOKEN + " (expected: the verification token from the"
                    + " app's Events and callbacks page, e.g. { env = \"LARK_VERIFICATION_TOKEN\" })");
        }
        return problems;
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
        return "FeishuSettings[" + domain.wireName() + ", " + baseUrl + ", " + mode.wireName() + ", require_mention="
                + requireMention + "]";
    }
}
