package dev.switchboard.channel.wecom;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One WeCom AI bot's settings (docs/channels/wecom.md lists every key).
 *
 * @param botId the bot's BotID: a secret field (SPEC §2.2 takes it from the environment), so it is redacted
 * @param secret the bot's Secret, sent in {@code aibot_subscribe}
 * @param wsUrl the long connection's address: the platform's, a private deployment's, or a test fake
 * @param allowedConversationIds the conversations answered ({@code chatid} of groups, the peer's {@code userid}
 *     of single chats), or {@code *}; the gateway enforces it on messages, the channel on welcomes
 * @param allowedSenderIds the senders answered ({@code from.userid}); empty: anyone in an allowed conversation
 * @param welcomeMessage the text a user gets on opening the single chat ({@code enter_chat}); empty: no welcome
 * @param pingInterval how often the connection is pinged; two periods without a frame from the platform mean the
 *     socket is dead
 */
public record WeComSettings(
        Secret botId,
        Secret secret,
        String wsUrl,
        List<String> allowedConversationIds,
        List<String> allowedSenderIds,
        Optional<String> welcomeMessage,
        Duration pingInterval) {

    public static final String BOT_ID = "bot_id";
    public static final String SECRET = "secret";
    public static final String WS_URL = "ws_url";
    public static final String ALLOWED_CONVERSATION_IDS = "allowed_conversation_ids";
    public static final String ALLOWED_SENDER_IDS = "allowed_sender_ids";
    public static final String WELCOME_MESSAGE = "welcome_message";
    public static final String PING_INTERVAL = "ping_interval";

    /** The platform's long connection. */
    public static final String DEFAULT_WS_URL = "wss://openws.work.weixin.qq.com";
    /** The official SDK's heartbeat; the platform closes a connection that stays quiet much longer. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);

    static final Duration MIN_PING_INTERVAL = Duration.ofSeconds(1);
    /** The longest welcome text: the platform's limit for a text message (2048 bytes, UTF-8). */
    static final int MAX_WELCOME_BYTES = 2048;

    public WeComSettings {
        requireNonNull(botId, "botId is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(wsUrl, "wsUrl is null");
        allowedConversationIds = List.copyOf(allowedConversationIds);
        allowedSenderIds = List.copyOf(allowedSenderIds);
        requireNonNull(welcomeMessage, "welcomeMessage is null");
        requireNonNull(pingInterval, "pingInterval is null");
    }

    /**
     * Reads resolved settings; call {@link #problems(AccountSettings)} first (the gateway does, through the
     * provider's {@code validate}).
     *
     * @throws IllegalArgumentException naming the first problem, when the settings are invalid
     */
    public static WeComSettings from(AccountSettings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return new WeComSettings(
                settings.requiredSecret(BOT_ID),
                settings.requiredSecret(SECRET),
                settings.string(WS_URL, DEFAULT_WS_URL),
                settings.strings(ALLOWED_CONVERSATION_IDS).stream()
                        .map(String::trim)
                        .toList(),
                settings.strings(ALLOWED_SENDER_IDS).stream().map(String::trim).toList(),
                settings.string(WELCOME_MESSAGE).filter(text -> !text.isBlank()),
                settings.duration(PING_INTERVAL, DEFAULT_PING_INTERVAL));
    }

    /**
     * Every problem with an account's settings, one line each, naming the key and what was expected. Secret
     * values are checked for presence only (at config load they are empty placeholders) and are never quoted.
     */
    public static List<String> problems(AccountSettings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.secret(BOT_ID).isEmpty()) {
            problems.add(BOT_ID + ": missing (expected: the AI bot's BotID from the admin console, e.g."
                    + " { env = \"WECOM_BOT_ID\" })");
        }
        if (settings.secret(SECRET).isEmpty()) {
            problems.add(SECRET + ": missing (expected: the AI bot's Secret from its long-connection settings, e.g."
                    + " { env = \"WECOM_SECRET\" })");
        }
        Optional<String> wsUrl = optionalString(settings, WS_URL, problems);
        if (wsUrl.isPresent() && !isWebSocketUrl(wsUrl.get())) {
            problems.add(WS_URL + ": \"" + wsUrl.get() + "\" (expected: a ws:// or wss:// URL such as " + DEFAULT_WS_URL
                    + ")");
        }
        idList(settings, ALLOWED_CONVERSATION_IDS, "a group chatid or a user's userid", problems);
        idList(settings, ALLOWED_SENDER_IDS, "a userid", problems);
        Optional<String> welcome = optionalString(settings, WELCOME_MESSAGE, problems);
        if (welcome.isPresent()) {
            int bytes = welcome.get().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_WELCOME_BYTES) {
                problems.add(WELCOME_MESSAGE + ": " + bytes + " bytes (expected: at most " + MAX_WELCOME_BYTES
                        + " bytes of UTF-8, the platform's limit for a text message)");
            }
        }
        try {
            Duration ping = settings.duration(PING_INTERVAL, DEFAULT_PING_INTERVAL);
            if (ping.compareTo(MIN_PING_INTERVAL) < 0 || ping.compareTo(DEFAULT_PING_INTERVAL) > 0) {
                problems.add(PING_INTERVAL + ": " + ping.toMillis() + " ms (expected: from 1 s to 30 s; the platform"
                        + " drops a connection that stays quiet for about a minute)");
            }
        } catch (IllegalArgumentException e) {
            problems.add(oneLine(e));
        }
        return problems;
    }

    private static Optional<String> optionalString(AccountSettings settings, String key, List<String> problems) {
        try {
            return settings.string(key);
        } catch (IllegalArgumentException e) {
            problems.add(oneLine(e));
            return Optional.empty();
        }
    }

    private static void idList(AccountSettings settings, String key, String what, List<String> problems) {
        List<String> ids;
        try {
            ids = settings.strings(key);
        } catch (IllegalArgumentException e) {
            problems.add(oneLine(e));
            return;
        }
        for (String id : ids) {
            if (id.isBlank()) {
                problems.add(key + ": an empty id (expected: " + what + ", or \"*\" for any)");
            } else if (!id.equals(id.trim())) {
                problems.add(key + ": \"" + id + "\" has spaces around it (expected: " + what
                        + " exactly as the platform sends it)");
            }
        }
    }

    private static String oneLine(IllegalArgumentException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static boolean isWebSocketUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            return scheme != null
                    && (scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether {@code conversationId} and {@code senderId} may be answered (the start-time allowlists). */
    public boolean allows(String conversationId, String senderId) {
        return (allowedConversationIds.contains("*") || allowedConversationIds.contains(conversationId))
                && allowsSender(senderId);
    }

    /** Whether {@code senderId} may be answered: always when {@code allowed_sender_ids} is not set. */
    public boolean allowsSender(String senderId) {
        return allowedSenderIds.isEmpty() || allowedSenderIds.contains("*") || allowedSenderIds.contains(senderId);
    }

    @Override
    public String toString() {
        return "WeComSettings[" + wsUrl + ", conversations=" + allowedConversationIds + ", senders=" + allowedSenderIds
                + ", welcome=" + welcomeMessage.isPresent() + ", ping=" + pingInterval + "]";
    }
}
