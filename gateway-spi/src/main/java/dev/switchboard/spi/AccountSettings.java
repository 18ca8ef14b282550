package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One channel account's settings, as the gateway resolved them: the channel section's top-level
 * fields overlaid by the account's own (lists replace, never merge), with every secret key resolved.
 * Immutable and thread-safe.
 *
 * <p>{@link #values()} holds the non-secret keys only; secrets are reachable through {@link
 * #secret(String)} so that printing the settings never prints a secret.
 *
 * <p>The typed getters ({@link #string(String)}, {@link #bool(String, boolean)}, {@link
 * #integer(String, int)}, {@link #duration(String, Duration)}, {@link #strings(String)}) answer the
 * fallback for a key that is absent (or set to {@code null}) and throw an {@link
 * IllegalArgumentException} with one line such as {@code telegram.main.poll_timeout_seconds: string
 * "soon" (expected: a whole number)} for a value of the wrong type: the account, the key, what was
 * found and what was expected. Called from {@link ChannelProvider#validate(AccountSettings)}, that line
 * becomes the gateway's config error for the account, with the file and line.
 *
 * @param channelId the provider id, e.g. {@code telegram}
 * @param accountId the account id as configured, e.g. {@code bot_123456}
 * @param values non-secret settings, keys as written in the config (snake_case)
 * @param secrets resolved secrets by key
 */
public record AccountSettings(String channelId, String accountId, Config values, Map<String, Secret> secrets) {
    private static final int SHOWN_VALUE_CHARS = 60;

    /**
     * Checks and copies the parts.
     *
     * @param channelId the provider id
     * @param accountId the account id
     * @param values non-secret settings
     * @param secrets resolved secrets by key, copied
     * @throws NullPointerException when a part is null
     */
    public AccountSettings {
        requireNonNull(channelId, "channelId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(values, "values is null");
        secrets = Map.copyOf(requireNonNull(secrets, "secrets is null"));
    }

    /**
     * A secret by key. During {@link ChannelProvider#validate(AccountSettings)} every configured
     * secret is present with an empty placeholder value.
     *
     * @param key the secret's key, e.g. {@code bot_token}
     * @return the resolved secret, or empty when the account does not set it
     */
    public Optional<Secret> secret(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    /**
     * A secret the account cannot run without; the gateway has validated it exists before start.
     *
     * @param key the secret's key
     * @return the resolved secret
     * @throws IllegalStateException naming {@code channel.account.key} when it is not set
     */
    public Secret requiredSecret(String key) {
        return secret(key).orElseThrow(() -> new IllegalStateException(path(key) + " is not set"));
    }

    /**
     * A string setting. A number or boolean is answered as written ({@code 42}, {@code true}).
     *
     * @param key the setting's key
     * @return the value, or empty when absent
     * @throws IllegalArgumentException when the value is a list or an object
     */
    public Optional<String> string(String key) {
        if (!values.hasPath(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(values.getString(key));
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a string", e);
        }
    }

    /**
     * A string setting with a fallback.
     *
     * @param key the setting's key
     * @param fallback the answer when the key is absent
     * @return the value, or {@code fallback}
     * @throws IllegalArgumentException when the value is a list or an object
     */
    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    /**
     * A boolean setting: {@code true} or {@code false} (HOCON also reads the strings {@code yes},
     * {@code no}, {@code on} and {@code off}).
     *
     * @param key the setting's key
     * @param fallback the answer when the key is absent
     * @return the value, or {@code fallback}
     * @throws IllegalArgumentException when the value is not a boolean
     */
    public boolean bool(String key, boolean fallback) {
        if (!values.hasPath(key)) {
            return fallback;
        }
        try {
            return values.getBoolean(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "true or false", e);
        }
    }

    /**
     * A whole-number setting that fits an {@code int}, written as a number ({@code 25}) or a string of
     * one ({@code "25"}). A fraction ({@code 2.5}) or a number past the {@code int} range is refused,
     * not rounded. The range the channel needs is the channel's to check.
     *
     * @param key the setting's key
     * @param fallback the answer when the key is absent
     * @return the value, or {@code fallback}
     * @throws IllegalArgumentException when the value is not a whole number in the {@code int} range
     */
    public int integer(String key, int fallback) {
        if (!values.hasPath(key)) {
            return fallback;
        }
        String expected = "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        Number number;
        try {
            number = values.getNumber(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, expected, e);
        }
        // HOCON reads 25 as an Integer, "25" as a Long and 2.5 as a Double
        boolean whole = number instanceof Integer || number instanceof Long;
        if (whole && number.longValue() >= Integer.MIN_VALUE && number.longValue() <= Integer.MAX_VALUE) {
            return number.intValue();
        }
        throw wrongType(key, expected, null);
    }

    /**
     * A duration setting in HOCON's duration format: a number with a unit, the space optional
     * ({@code "30s"}, {@code "5 m"}, {@code "1500 ms"}, {@code "2 minutes"}, {@code "1h"}; units
     * {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} and their long
     * names), or a plain number, which counts <em>milliseconds</em> ({@code 1500} is 1.5 s). Zero and
     * negative durations are answered as written: the range the channel needs is the channel's to
     * check.
     *
     * @param key the setting's key
     * @param fallback the answer when the key is absent
     * @return the value, or {@code fallback}
     * @throws IllegalArgumentException when the value is not a duration
     */
    public Duration duration(String key, Duration fallback) {
        if (!values.hasPath(key)) {
            return fallback;
        }
        try {
            return values.getDuration(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw wrongType(key, "a duration such as \"30s\" or \"5 m\", or a number of milliseconds", e);
        }
    }

    /**
     * A list of scalars as strings (numbers such as Telegram chat ids are kept exactly as written).
     *
     * @param key the setting's key
     * @return the list, empty when the key is absent; never null
     * @throws IllegalArgumentException when the value is not a list, or holds a list or an object
     */
    public List<String> strings(String key) {
        if (!values.hasPath(key)) {
            return List.of();
        }
        String expected = "a list of strings or numbers";
        ConfigList list;
        try {
            list = values.getList(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, expected, e);
        }
        List<String> strings = new ArrayList<>(list.size());
        for (ConfigValue value : list) {
            if (value.valueType() == ConfigValueType.LIST || value.valueType() == ConfigValueType.OBJECT) {
                throw wrongType(key, expected, null);
            }
            strings.add(String.valueOf(value.unwrapped()));
        }
        return List.copyOf(strings);
    }

    /**
     * Redacted: the non-secret values and the names of the secrets, never a secret's value.
     *
     * @return {@code AccountSettings[telegram.main, values={...}, secrets=[bot_token]]}
     */
    @Override
    public String toString() {
        return "AccountSettings[" + channelId + "." + accountId + ", values="
                + values.root().render() + ", secrets=" + secrets.keySet() + "]";
    }

    private String path(String key) {
        return channelId + "." + accountId + "." + key;
    }

    private IllegalArgumentException wrongType(String key, String expected, @Nullable Throwable cause) {
        return new IllegalArgumentException(
                path(key) + ": " + shown(values.getValue(key)) + " (expected: " + expected + ")", cause);
    }

    /** What was found, by type and value, on one line and shortened: {@code string "soon"}, {@code a list of 3}. */
    private static String shown(ConfigValue value) {
        return switch (value.valueType()) {
            case LIST -> "a list of " + ((ConfigList) value).size();
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> {
                String rendered = value.render(ConfigRenderOptions.concise());
                if (rendered.length() > SHOWN_VALUE_CHARS) {
                    rendered = rendered.substring(0, SHOWN_VALUE_CHARS) + "...";
                }
                yield value.valueType().name().toLowerCase(Locale.ROOT) + " " + rendered;
            }
        };
    }
}
