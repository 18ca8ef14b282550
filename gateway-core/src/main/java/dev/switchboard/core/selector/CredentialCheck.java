package dev.switchboard.core.selector;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.Secret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One adapter per platform credential in the whole process (SPEC §3): two accounts of a channel
 * whose credential keys hold the same values would be two pollers of one bot, which the platform
 * answers with conflicts. Refused as a configuration error naming both accounts, never the value.
 */
public final class CredentialCheck {
    private CredentialCheck() {}

    /**
     * Refuses two accounts whose credential keys resolve to the same values.
     *
     * @param resolved the resolved value of an account's secret key, when it could be resolved
     */
    public static void requireDistinct(
            ChannelRegistry registry,
            GatewayConfig config,
            BiFunction<AccountConfig, String, Optional<Secret>> resolved) {
        for (ChannelSection section : config.channels().values()) {
            Optional<ChannelProvider> provider = registry.byId(section.channelId());
            if (!section.enabled() || provider.isEmpty()) {
                continue;
            }
            List<String> keys =
                    provider.get().credentialKeys().stream().sorted().toList();
            Map<List<Object>, AccountConfig> seen = new HashMap<>();
            for (AccountConfig account : section.accounts().values()) {
                List<Object> fingerprint = fingerprint(account, keys, resolved);
                if (fingerprint.stream().allMatch(part -> part == null)) {
                    continue; // no credential configured: the channel's own validation reports that
                }
                AccountConfig earlier = seen.putIfAbsent(fingerprint, account);
                if (earlier != null) {
                    throw SwitchboardException.config(section.channelId() + ".accounts." + earlier.accountId() + " and "
                            + section.channelId() + ".accounts." + account.accountId() + " use the same "
                            + String.join(" + ", keys) + "; one platform credential can run only one adapter");
                }
            }
        }
    }

    private static List<Object> fingerprint(
            AccountConfig account, List<String> keys, BiFunction<AccountConfig, String, Optional<Secret>> resolved) {
        List<Object> parts = new ArrayList<>();
        for (String key : keys) {
            SecretRef ref = account.secrets().get(key);
            if (ref != null) {
                // the resolved value when there is one; two accounts naming the same source match too
                parts.add(
                        resolved.apply(account, key).<Object>map(Secret::reveal).orElse(ref));
            } else if (account.values().hasPath(key)) {
                parts.add(account.values().getValue(key).unwrapped());
            } else {
                parts.add(null);
            }
        }
        return parts;
    }
}
