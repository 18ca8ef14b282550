package dev.switchboard.channel.wecom.robot;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One group robot's settings (docs/channels/wecom-webhook.md lists every key). An account is one robot, and a
 * robot posts to the one group it was added to.
 *
 * @param key the robot's webhook key, the {@code key=} part of its URL: whoever has it can post to the group, so
 *     it is a secret
 * @param baseUrl where the platform lives, without a trailing slash
 * @param msgType how a message is posted
 * @param allowedConversationIds the {@code to} values a {@code send} may name ({@code "*"}: any)
 * @param rateLimitWait how long to wait after the platform's rate limit refused a post
 */
public record WeComRobotSettings(
        Secret key, String baseUrl, MsgType msgType, Set<String> allowedConversationIds, Duration rateLimitWait) {

    public static final String KEY = "key";
    public static final String BASE_URL = "base_url";
    public static final String MSGTYPE = "msgtype";
    public static final String ALLOWED_CONVERSATION_IDS = "allowed_conversation_ids";
    public static final String RATE_LIMIT_WAIT = "rate_limit_wait";

    public static final String DEFAULT_BASE_URL = "https://qyapi.weixin.qq.com";
    /** The platform's window: it allows 20 posts a minute per robot, so a minute later the window is fresh. */
    public static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofMinutes(1);

    private static final Duration LONGEST_WAIT = Duration.ofHours(1);

    /** The robot's message types for text (the platform also has image, news, file and template cards). */
    public enum MsgType {
        /** Plain text, at most 2048 UTF-8 bytes a message; shown everywhere, WeChat included. */
        TEXT(2048),
        /** WeCom's markdown subset, at most 4096 UTF-8 bytes a message. */
        MARKDOWN(4096);

        private final int maxBytes;

        MsgType(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** The platform's limit on one message's content, in UTF-8 bytes. */
        public int maxBytes() {
            return maxBytes;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public WeComRobotSettings {
        requireNonNull(key, "key is null");
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(msgType, "msgType is null");
        allowedConversationIds = Set.copyOf(allowedConversationIds);
        requireNonNull(rateLimitWait, "rateLimitWait is null");
    }

    /**
     * Reads resolved settings; the gateway has checked them with {@link #problems(AccountSettings)} first.
     *
     * @throws IllegalArgumentException naming the first problem, when the settings are invalid
     */
    public static WeComRobotSettings from(AccountSettings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return new WeComRobotSettings(
                settings.requiredSecret(KEY),
                stripTrailingSlash(settings.string(BASE_URL, DEFAULT_BASE_URL)),
                MsgType.valueOf(settings.string(MSGTYPE, "markdown").toUpperCase(Locale.ROOT)),
                Set.copyOf(settings.strings(ALLOWED_CONVERSATION_IDS)),
                settings.duration(RATE_LIMIT_WAIT, DEFAULT_RATE_LIMIT_WAIT));
    }

    /**
     * Every problem with an account's settings, one line each, naming the key and what was expected. The key's
     * value is checked only when known (at config load it is an empty placeholder) and never quoted.
     */
    public static List<String> problems(AccountSettings settings) {
        List<String> problems = new ArrayList<>();
        Optional<Secret> key = settings.secret(KEY);
        if (key.isEmpty()) {
            problems.add(KEY + ": missing (expected: the robot's webhook key, the part after key= in its URL, e.g."
                    + " { env = \"WECOM_ROBOT_KEY\" })");
        } else if (key.get().reveal().contains("/") || key.get().reveal().contains("key=")) {
            // the commonest mistake: the whole webhook URL pasted, which the platform answers with 93000
            problems.add(KEY + ": looks like the whole webhook URL (expected: only the part after key=; the value"
                    + " is not shown)");
        } else if (!key.get().isEmpty() && key.get().reveal().isBlank()) {
            problems.add(KEY + ": blank (expected: the robot's webhook key; the value is not shown)");
        }

        Optional<String> baseUrl = settings.string(BASE_URL);
        if (baseUrl.isPresent() && !isHttpUrl(baseUrl.get())) {
            problems.add(BASE_URL + ": \"" + baseUrl.get() + "\" (expected: an http:// or https:// URL such as "
                    + DEFAULT_BASE_URL + ")");
        }

        String msgType = settings.string(MSGTYPE, "markdown");
        if (!msgType.equals("markdown") && !msgType.equals("text")) {
            problems.add(MSGTYPE + ": \"" + msgType + "\" (expected: markdown or text)");
        }

        List<String> allowed = settings.strings(ALLOWED_CONVERSATION_IDS);
        if (allowed.isEmpty()) {
            problems.add(ALLOWED_CONVERSATION_IDS + ": missing or empty (expected: the names send may use as 'to' for"
                    + " this robot's group, e.g. [\"ops\"], or [\"*\"] for any)");
        }
        for (String entry : allowed) {
            if (entry.isBlank()) {
                problems.add(ALLOWED_CONVERSATION_IDS + ": a blank entry (expected: names such as \"ops\", or \"*\")");
            }
        }

        Duration wait = settings.duration(RATE_LIMIT_WAIT, DEFAULT_RATE_LIMIT_WAIT);
        if (wait.isNegative() || wait.isZero() || wait.compareTo(LONGEST_WAIT) > 0) {
            problems.add(RATE_LIMIT_WAIT + ": " + wait.toMillis() + " ms (expected: more than 0 and at most 1 hour,"
                    + " e.g. \"60s\")");
        }
        return problems;
    }

    /** Whether a {@code send} may name {@code to}. */
    public boolean allows(String to) {
        return allowedConversationIds.contains("*") || allowedConversationIds.contains(to);
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            return scheme != null
                    && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null
                    && uri.getRawQuery() == null;
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

    /** Without the key. */
    @Override
    public String toString() {
        return "WeComRobotSettings[" + baseUrl + ", " + msgType.wireName() + ", " + allowedConversationIds.size()
                + " conversation name(s), rate_limit_wait=" + rateLimitWait + "]";
    }
}
