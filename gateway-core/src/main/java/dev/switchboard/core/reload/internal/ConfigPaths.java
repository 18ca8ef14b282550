package dev.switchboard.core.reload.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.ConfigKeys;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.internal.ConfigHash;
import dev.switchboard.core.config.internal.ConfigView;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.spi.Secret;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A configuration as activated, flattened to dotted key paths and a fingerprint of each value, so two
 * can be compared path by path. A secret's fingerprint is a hash of its source and its resolved value
 * (or its failure), so a rotated value is a change even when the reference reads the same; neither
 * appears in any output, only the path does.
 */
public final class ConfigPaths {
    private ConfigPaths() {}

    /** Every leaf path of {@code config} (lists are leaves) to its fingerprint. */
    public static SortedMap<String, String> of(GatewayConfig config, SecretSnapshot secrets) {
        SortedMap<String, String> paths = new TreeMap<>();
        flatten("", ConfigView.toJson(config), paths);
        for (String path : SecretSnapshot.gatewayRefs(config).keySet()) {
            if (paths.containsKey(path)) {
                paths.put(
                        path,
                        secret(
                                paths.get(path),
                                secrets.gateway(path),
                                secrets.failures().get(path)));
            }
        }
        for (ChannelSection section : config.channels().values()) {
            for (AccountConfig account : section.accounts().values()) {
                Map<String, Secret> resolved = secrets.account(account.channelId(), account.accountId());
                for (String key : account.secrets().keySet()) {
                    String path = account.path(key);
                    paths.put(
                            path,
                            secret(
                                    paths.getOrDefault(path, ""),
                                    Optional.ofNullable(resolved.get(key)),
                                    secrets.failures().get(path)));
                }
            }
        }
        return paths;
    }

    /**
     * The paths whose values differ between {@code before} and {@code after}. An account or a channel
     * section present on one side only is one path ({@code telegram.accounts.bot}, {@code feishu}),
     * not one per key.
     */
    public static List<String> changed(SortedMap<String, String> before, SortedMap<String, String> after) {
        TreeMap<String, Boolean> changed = new TreeMap<>();
        for (Map.Entry<String, String> entry : before.entrySet()) {
            if (!entry.getValue().equals(after.get(entry.getKey()))) {
                changed.put(collapse(entry.getKey(), before, after), true);
            }
        }
        for (String path : after.keySet()) {
            if (!before.containsKey(path)) {
                changed.put(collapse(path, before, after), true);
            }
        }
        return new ArrayList<>(changed.keySet());
    }

    /** A path under a section or account that exists on one side only, shortened to that section or account. */
    private static String collapse(String path, SortedMap<String, String> before, SortedMap<String, String> after) {
        String[] parts = path.split("\\.", -1);
        if (parts.length < 2 || ConfigKeys.CORE_SECTIONS.contains(parts[0])) {
            return path;
        }
        String section = parts[0];
        if (!hasPrefix(before, section + ".") || !hasPrefix(after, section + ".")) {
            return section;
        }
        if (parts.length >= 3 && parts[1].equals(ConfigKeys.ACCOUNTS)) {
            String account = section + "." + ConfigKeys.ACCOUNTS + "." + parts[2];
            if (!hasPrefix(before, account + ".") || !hasPrefix(after, account + ".")) {
                return account;
            }
        }
        return path;
    }

    private static boolean hasPrefix(SortedMap<String, String> paths, String prefix) {
        SortedMap<String, String> tail = paths.tailMap(prefix);
        return !tail.isEmpty() && tail.firstKey().startsWith(prefix);
    }

    private static String secret(
            String source, Optional<Secret> value, @org.jspecify.annotations.Nullable String failure) {
        String resolved =
                value.map(secret -> "value:" + secret.reveal()).orElse(failure != null ? "failed:" + failure : "unset");
        return "secret:" + ConfigHash.of(source + "\u0000" + resolved);
    }

    private static boolean isAccount(String path) {
        String[] parts = path.split("\\.", -1);
        return parts.length == 3 && parts[1].equals(ConfigKeys.ACCOUNTS);
    }

    private static void flatten(String prefix, JsonNode node, SortedMap<String, String> into) {
        if (node.isObject()) {
            if (node.isEmpty() && isAccount(prefix)) {
                into.put(prefix, "{}"); // an account with no keys of its own still exists
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), into);
            }
            return;
        }
        into.put(prefix, node.toString());
    }
}
