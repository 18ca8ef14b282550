package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigValueFactory;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.selector.AccountResolver;
import dev.switchboard.core.selector.CredentialCheck;
import dev.switchboard.core.selector.SelectedAccount;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The gateway's own selection rules ({@link AccountResolver}, {@link CredentialCheck}) applied one
 * channel section at a time, so that {@code config validate}, {@code channels} and {@code doctor}
 * report every section's problem, not only the first, and say exactly what {@code gateway run}
 * would say.
 */
public final class Selections {
    private Selections() {}

    /**
     * Which account of a section runs without a selector.
     *
     * @param selected the account and why; empty when none can be picked or the channel is
     *     outbound-only
     * @param error why no account can be picked
     */
    public record Pick(Optional<SelectedAccount> selected, Optional<String> error) {
        public Pick {
            requireNonNull(selected, "selected is null");
            requireNonNull(error, "error is null");
        }
    }

    /**
     * The default account of {@code section} by the default rule alone: enabled or not, whatever
     * its allowlists hold (those are judged by {@link #refusal}).
     */
    public static Pick defaultPick(ChannelRegistry registry, GatewayConfig config, ChannelSection section) {
        ChannelProvider provider = provider(registry, section);
        if (provider.kind() != ChannelKind.REPLY_LOOP) {
            return new Pick(Optional.empty(), Optional.empty());
        }
        // the same section, enabled, with allowlists that pass: only the default rule can refuse it
        Map<String, AccountConfig> accounts = new LinkedHashMap<>();
        section.accounts().forEach((id, account) -> accounts.put(id, withAnyConversation(provider, account)));
        ChannelSection probe = new ChannelSection(section.channelId(), true, section.defaultAccount(), accounts);
        try {
            List<SelectedAccount> selected = new AccountResolver(registry).resolve(only(config, probe), List.of());
            return selected.stream()
                    .findFirst()
                    .map(s -> new Pick(
                            Optional.of(new SelectedAccount(
                                    provider,
                                    // the resolver picked it from this section
                                    requireNonNull(section.accounts().get(s.accountId()), "selected account"),
                                    s.source())),
                            Optional.empty()))
                    .orElseGet(() -> new Pick(Optional.empty(), Optional.empty()));
        } catch (SwitchboardException e) {
            return new Pick(Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    /** Why {@code gateway run} (without selectors) would refuse this section; empty if it would not. */
    public static Optional<String> refusal(ChannelRegistry registry, GatewayConfig config, ChannelSection section) {
        try {
            new AccountResolver(registry).resolve(only(config, section), List.of());
            return Optional.empty();
        } catch (SwitchboardException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Why two accounts of this section may not both run (one platform credential each); empty if
     * they may. {@code resolved} gives an account's resolved secret when known; without it accounts
     * naming the same secret source count as equal.
     */
    public static Optional<String> sharedCredential(
            ChannelRegistry registry,
            GatewayConfig config,
            ChannelSection section,
            BiFunction<AccountConfig, String, Optional<Secret>> resolved) {
        try {
            CredentialCheck.requireDistinct(registry, only(config, section), resolved);
            return Optional.empty();
        } catch (SwitchboardException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The allowlist of an account as written: empty when the key is missing. */
    public static List<String> allowlist(ChannelProvider provider, AccountConfig account) {
        String key = provider.allowlistKey();
        if (!account.values().hasPath(key)) {
            return List.of();
        }
        return account.values().getList(key).stream()
                .map(value -> String.valueOf(value.unwrapped()))
                .toList();
    }

    /** How a secret is configured, never its value: {@code env NAME}, {@code file PATH}, {@code literal}. */
    public static String source(SecretRef ref) {
        if (ref instanceof SecretRef.Literal) {
            return "literal";
        }
        if (ref instanceof SecretRef.Exec exec) {
            return exec.command().isEmpty() ? "exec" : "exec " + exec.command().get(0);
        }
        return ref.describe();
    }

    private static AccountConfig withAnyConversation(ChannelProvider provider, AccountConfig account) {
        return new AccountConfig(
                account.channelId(),
                account.accountId(),
                account.values().withValue(provider.allowlistKey(), ConfigValueFactory.fromIterable(List.of("*"))),
                account.secrets(),
                account.origin());
    }

    private static GatewayConfig only(GatewayConfig config, ChannelSection section) {
        return new GatewayConfig(
                config.source(),
                config.sourceChecksum(),
                config.gateway(),
                config.agent(),
                config.store(),
                Map.of(section.channelId(), section));
    }

    private static ChannelProvider provider(ChannelRegistry registry, ChannelSection section) {
        return registry.byId(section.channelId())
                .orElseThrow(() -> new IllegalStateException(
                        "config has a section for unregistered channel " + section.channelId()));
    }
}
