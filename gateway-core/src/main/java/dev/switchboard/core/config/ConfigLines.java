package dev.switchboard.core.config;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.internal.ConfigBinder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Where the keys of one loaded file are written, so that a check made after loading (a secret
 * that does not resolve, an empty allowlist, an exposed bind) points at the key's own line like the
 * loader's own problems do. An account's value may be inherited from its channel section: {@link
 * #accountKey} gives the path where it is actually written.
 */
public final class ConfigLines {
    private final String file;
    private final ToIntFunction<List<String>> lines;
    private final Map<String, List<String>> accountKeys;

    /**
     * @param file the file name for messages
     * @param lines the line of a key path, or of its nearest parent that has one; 0 if unknown
     * @param accountKeys {@link #accountKeyId} to the path where that account's value is written
     */
    public ConfigLines(String file, ToIntFunction<List<String>> lines, Map<String, List<String>> accountKeys) {
        this.file = requireNonNull(file, "file is null");
        this.lines = requireNonNull(lines, "lines is null");
        this.accountKeys = Map.copyOf(requireNonNull(accountKeys, "accountKeys is null"));
    }

    public String file() {
        return file;
    }

    /** The line of {@code path} (or of its nearest written parent); 0 when unknown. */
    public int line(List<String> path) {
        return lines.applyAsInt(requireNonNull(path, "path is null"));
    }

    /**
     * Where {@code key} of {@code account} is written: in the account's table, or in the section's
     * when the account inherits it. Empty when it is written nowhere.
     */
    public Optional<List<String>> accountKey(AccountConfig account, String key) {
        return Optional.ofNullable(accountKeys.get(accountKeyId(account.channelId(), account.accountId(), key)));
    }

    /** Where {@code key} of {@code account} is, or would be, written: the account table when nowhere. */
    public List<String> accountKeyOrTable(AccountConfig account, String key) {
        return accountKey(account, key)
                .orElseGet(() -> List.of(account.channelId(), ConfigKeys.ACCOUNTS, account.accountId(), key));
    }

    /** A problem at {@code path}'s line. */
    public ConfigProblem problem(List<String> path, String message) {
        return new ConfigProblem(file, line(path), ConfigBinder.dotted(path), message);
    }

    /** The key of {@link #accountKey}'s map. */
    public static String accountKeyId(String channelId, String accountId, String key) {
        return channelId + '\u0000' + accountId + '\u0000' + key;
    }
}
