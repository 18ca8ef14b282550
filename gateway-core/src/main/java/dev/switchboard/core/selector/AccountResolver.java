package dev.switchboard.core.selector;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides which account of each channel family runs (SPEC §3): the one a selector names, else the
 * family's default account. Selector mistakes are {@link SwitchboardException.Kind#USAGE} errors;
 * a configuration that cannot pick a default or has an empty allowlist is a {@link
 * SwitchboardException.Kind#CONFIG} error. Nothing is started or touched on disk here.
 */
public final class AccountResolver {
    private final ChannelRegistry registry;

    public AccountResolver(ChannelRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /**
     * One account per enabled reply-loop family, in config order. A cluster replica
     * (docs/cluster.md) instead runs under leases every account of each enabled reply-loop family,
     * so no default is needed and selectors are refused.
     */
    public List<SelectedAccount> resolve(GatewayConfig config, List<ChannelSelector> selectors) {
        if (config.gateway().cluster().enabled()) {
            return everyAccount(config, selectors);
        }
        Map<String, ChannelSelector> byChannel =
                selectors.stream().collect(Collectors.toMap(ChannelSelector::channelId, Function.identity()));
        for (ChannelSelector selector : selectors) {
            checkSelectable(config, selector);
        }
        List<SelectedAccount> selected = new ArrayList<>();
        for (ChannelSection section : config.channels().values()) {
            ChannelProvider provider = provider(section.channelId());
            if (!section.enabled() || provider.kind() != ChannelKind.REPLY_LOOP) {
                continue;
            }
            ChannelSelector selector = byChannel.get(section.channelId());
            SelectedAccount account = selector != null
                    ? new SelectedAccount(
                            provider,
                            // checkSelectable made sure the section has it
                            requireNonNull(section.accounts().get(selector.accountId()), "selected account"),
                            SelectedAccount.Source.SELECTOR)
                    : defaultAccount(provider, section);
            requireAllowlist(provider, account.account());
            selected.add(account);
        }
        return List.copyOf(selected);
    }

    private List<SelectedAccount> everyAccount(GatewayConfig config, List<ChannelSelector> selectors) {
        if (!selectors.isEmpty()) {
            throw SwitchboardException.usage(
                    "--channel-account '" + selectors.get(0).raw()
                            + "': a cluster replica (gateway.cluster.enabled) runs every configured account under"
                            + " leases; drop --channel-account");
        }
        List<SelectedAccount> selected = new ArrayList<>();
        for (ChannelSection section : config.channels().values()) {
            ChannelProvider provider = provider(section.channelId());
            if (!section.enabled() || provider.kind() != ChannelKind.REPLY_LOOP) {
                continue;
            }
            for (AccountConfig account : section.accounts().values()) {
                requireAllowlist(provider, account);
                selected.add(new SelectedAccount(provider, account, SelectedAccount.Source.CLUSTER_LEASE));
            }
        }
        return List.copyOf(selected);
    }

    private void checkSelectable(GatewayConfig config, ChannelSelector selector) {
        String channel = selector.channelId();
        Optional<ChannelSection> section = config.channel(channel);
        if (section.isEmpty() || section.get().accounts().isEmpty()) {
            throw SwitchboardException.usage("--channel-account '" + selector.raw() + "': " + channel
                    + " has no configured accounts (add [" + channel + ".accounts." + selector.accountId() + "] to "
                    + config.source().map(Object::toString).orElse("the config") + ")");
        }
        if (!section.get().enabled()) {
            throw SwitchboardException.usage("--channel-account '" + selector.raw() + "': channel " + channel
                    + " is disabled (" + channel + ".enabled = false)");
        }
        if (!section.get().accounts().containsKey(selector.accountId())) {
            throw SwitchboardException.usage("--channel-account '" + selector.raw() + "': account '"
                    + selector.accountId() + "' is not configured for " + channel + " (configured: "
                    + String.join(", ", section.get().accounts().keySet()) + ")");
        }
    }

    /** {@code default_account}; else the only account; else one named {@code default}; else refuse. */
    static SelectedAccount defaultAccount(ChannelProvider provider, ChannelSection section) {
        Map<String, AccountConfig> accounts = section.accounts();
        String channel = section.channelId();
        if (section.defaultAccount().isPresent()) {
            String id = section.defaultAccount().get();
            AccountConfig account = accounts.get(id);
            if (account == null) {
                throw SwitchboardException.config(channel + ".default_account: '" + id + "' is not configured"
                        + " (configured: " + String.join(", ", accounts.keySet()) + ")");
            }
            return new SelectedAccount(provider, account, SelectedAccount.Source.DEFAULT_ACCOUNT);
        }
        if (accounts.size() == 1) {
            return new SelectedAccount(
                    provider, accounts.values().iterator().next(), SelectedAccount.Source.ONLY_ACCOUNT);
        }
        if (accounts.containsKey("default")) {
            return new SelectedAccount(provider, accounts.get("default"), SelectedAccount.Source.NAMED_DEFAULT);
        }
        if (accounts.isEmpty()) {
            throw SwitchboardException.config(channel + " is enabled but has no accounts (add [" + channel
                    + ".accounts.<id>] or set " + channel + ".enabled = false)");
        }
        throw SwitchboardException.config(channel + " has " + accounts.size() + " accounts ("
                + String.join(", ", accounts.keySet()) + ") and no default_account; set " + channel
                + ".default_account or pick one with --channel-account " + channel + "=ACCOUNT");
    }

    private static void requireAllowlist(ChannelProvider provider, AccountConfig account) {
        String key = provider.allowlistKey();
        boolean empty =
                !account.values().hasPath(key) || account.values().getList(key).isEmpty();
        if (empty) {
            throw SwitchboardException.config(account.path(key) + " is empty; an account may not run without a"
                    + " conversation allowlist (list trusted ids, or \"*\" to allow any)");
        }
    }

    private ChannelProvider provider(String channelId) {
        return registry.byId(channelId)
                .orElseThrow(
                        () -> new IllegalStateException("config has a section for unregistered channel " + channelId));
    }
}
