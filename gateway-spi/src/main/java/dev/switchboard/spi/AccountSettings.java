package dev.switchboard.spi;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One channel account's settings, as the gateway resolved them: the channel section's top-level
 * fields overlaid by the account's own (lists replace, never merge), with every secret key resolved.
 *
 * <p>{@link #values()} holds the non-secret keys only; secrets are reachable through {@link
 * #secret(String)} so that printing the settings never prints a secret.
 *
 * @param channelId the provider id, e.g. {@code telegram}
 * @param accountId the account id as configured, e.g. {@code bot_123456}
 * @param values non-secret settings, keys as written in the config (snake_case)
 * @param secrets resolved secrets by key
 */
public record AccountSettings(String channelId, String accountId, Config values, Map<String, Secret> secrets) {
    public AccountSettings {
        requireNonNull(channelId, "channelId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(values, "values is null");
        secrets = Map.copyOf(requireNonNull(secrets, "secrets is null"));
    }

    public Optional<Secret> secret(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    /** A secret the account cannot run without; the gateway has validated it exists before start. */
    public Secret requiredSecret(String key) {
        return secret(key)
                .orElseThrow(() -> new IllegalStateException(channelId + "." + accountId + "." + key + " is not set"));
    }

    public Optional<String> string(String key) {
        return values.hasPath(key) ? Optional.of(values.getString(key)) : Optional.empty();
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        return values.hasPath(key) ? values.getBoolean(key) : fallback;
    }

    /** A list of scalars as strings (numbers such as Telegram chat ids are kept exactly as written). */
    public List<String> strings(String key) {
        if (!values.hasPath(key)) {
            return List.of();
        }
        return values.getList(key).stream()
                .map(value -> String.valueOf(value.unwrapped()))
                .toList();
    }

    @Override
    public String toString() {
        return "AccountSettings[" + channelId + "." + accountId + ", values="
                + values.root().render() + ", secrets=" + secrets.keySet() + "]";
    }
}
