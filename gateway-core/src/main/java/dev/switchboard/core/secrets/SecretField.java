package dev.switchboard.core.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.SecretRef;
import java.util.Optional;

/**
 * One secret field of a configuration, as {@link SecretSnapshot#fields} lists them.
 *
 * @param path the dotted key path the gateway knows it by: {@code gateway.auth.token}, {@code
 *     telegram.accounts.bot.bot_token} (an account's inherited secret is listed under the account)
 * @param ref where the value comes from, unresolved
 * @param account the channel account it belongs to; empty for a gateway-level secret
 * @param key the key within the account ({@code bot_token}); the path for a gateway-level secret
 * @param resolved whether the gateway resolves it: false for the accounts of a disabled channel section
 */
public record SecretField(String path, SecretRef ref, Optional<AccountConfig> account, String key, boolean resolved) {
    public SecretField {
        requireNonNull(path, "path is null");
        requireNonNull(ref, "ref is null");
        requireNonNull(account, "account is null");
        requireNonNull(key, "key is null");
    }
}
