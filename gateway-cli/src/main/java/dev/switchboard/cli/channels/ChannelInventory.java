package dev.switchboard.cli.channels;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.internal.Selections;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.config.ChannelSection;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.selector.SelectedAccount;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code channels list} shows: each installed channel and, from the config, its section and
 * accounts. Built from the config alone; no secret is resolved and no value is ever held.
 *
 * @param configPath the config file, when one was found
 * @param channels every installed channel, by id
 */
record ChannelInventory(Optional<Path> configPath, List<Channel> channels) {
    ChannelInventory {
        requireNonNull(configPath, "configPath is null");
        channels = List.copyOf(channels);
    }

    /** One installed channel. */
    record Channel(
            String id,
            List<String> aliases,
            String kind,
            String displayName,
            String source,
            boolean enabled,
            boolean configured,
            Optional<String> defaultAccount,
            Optional<String> defaultSource,
            Optional<String> defaultError,
            List<Account> accounts) {}

    /** One configured account. */
    record Account(
            String id,
            boolean isDefault,
            String allowlistKey,
            int allowlistSize,
            boolean allowsAny,
            Map<String, String> secrets) {}

    /** {@code config} is empty when no config file was found. */
    static ChannelInventory of(ChannelRegistry registry, Optional<GatewayConfig> config) {
        List<Channel> channels = new ArrayList<>();
        for (ChannelProvider provider : registry.providers()) {
            Optional<ChannelSection> section = config.flatMap(c -> c.channel(provider.id()));
            String source = registry.source(provider.id()).orElseThrow().toString();
            if (section.isEmpty()) {
                channels.add(new Channel(
                        provider.id(),
                        aliases(provider),
                        kind(provider),
                        provider.displayName(),
                        source,
                        false,
                        false,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        List.of()));
                continue;
            }
            Selections.Pick pick = Selections.defaultPick(registry, config.get(), section.get());
            Optional<String> defaultId = pick.selected().map(SelectedAccount::accountId);
            List<Account> accounts = new ArrayList<>();
            for (AccountConfig account : section.get().accounts().values()) {
                List<String> allowlist = Selections.allowlist(provider, account);
                Map<String, String> secrets = new TreeMap<>();
                account.secrets().forEach((key, ref) -> secrets.put(key, Selections.source(ref)));
                accounts.add(new Account(
                        account.accountId(),
                        defaultId.filter(account.accountId()::equals).isPresent(),
                        provider.allowlistKey(),
                        allowlist.size(),
                        allowlist.contains("*"),
                        secrets));
            }
            channels.add(new Channel(
                    provider.id(),
                    aliases(provider),
                    kind(provider),
                    provider.displayName(),
                    source,
                    section.get().enabled(),
                    true,
                    defaultId,
                    pick.selected().map(s -> s.source().description()),
                    pick.error(),
                    accounts));
        }
        return new ChannelInventory(config.flatMap(GatewayConfig::source), channels);
    }

    /** The {@code --json} object; documented in docs/cli.md. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("configPath", configPath.map(Path::toString).orElse(null));
        List<Object> list = new ArrayList<>();
        for (Channel channel : channels) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", channel.id());
            c.put("aliases", channel.aliases());
            c.put("kind", channel.kind());
            c.put("displayName", channel.displayName());
            c.put("source", channel.source());
            c.put("enabled", channel.enabled());
            c.put("configured", channel.configured());
            c.put("defaultAccount", channel.defaultAccount().orElse(null));
            c.put("defaultSource", channel.defaultSource().orElse(null));
            c.put("defaultError", channel.defaultError().orElse(null));
            List<Object> accounts = new ArrayList<>();
            for (Account account : channel.accounts()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("id", account.id());
                a.put("default", account.isDefault());
                a.put("allowlistKey", account.allowlistKey());
                a.put("allowlistSize", account.allowlistSize());
                a.put("allowsAny", account.allowsAny());
                a.put("secrets", account.secrets());
                accounts.add(a);
            }
            c.put("accounts", accounts);
            list.add(c);
        }
        json.put("channels", list);
        return json;
    }

    /** Short, aligned lines for people. */
    List<String> toText() {
        List<String> lines = new ArrayList<>();
        lines.add("config: "
                + configPath
                        .map(Path::toString)
                        .orElse("none found (no accounts configured; see 'switchboard config init')"));
        int idWidth = channels.stream().mapToInt(c -> c.id().length()).max().orElse(0);
        int nameWidth =
                channels.stream().mapToInt(c -> c.displayName().length()).max().orElse(0);
        for (Channel channel : channels) {
            lines.add("");
            String state = !channel.configured() ? "not configured" : channel.enabled() ? "enabled" : "disabled";
            StringBuilder header = new StringBuilder()
                    .append(pad(channel.id(), idWidth))
                    .append("  ")
                    .append(pad(channel.displayName(), nameWidth))
                    .append("  ")
                    .append(pad(channel.kind(), "outbound-only".length()))
                    .append("  ")
                    .append(pad(state, "not configured".length()))
                    .append("  ")
                    .append(channel.source());
            if (!channel.aliases().isEmpty()) {
                header.append("  (aliases: ")
                        .append(String.join(", ", channel.aliases()))
                        .append(')');
            }
            lines.add(header.toString().stripTrailing());
            if (!channel.configured()) {
                continue;
            }
            if (channel.defaultAccount().isPresent()) {
                lines.add("  runs by default: " + channel.defaultAccount().get() + " ("
                        + channel.defaultSource().orElse("") + ")");
            } else if (channel.defaultError().isPresent()) {
                lines.add("  runs by default: none: " + channel.defaultError().get());
            }
            if (channel.accounts().isEmpty()) {
                lines.add("  no accounts");
                continue;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ACCOUNT", "DEFAULT", "ALLOWLIST", "SECRETS"});
            for (Account account : channel.accounts()) {
                String allowlist = account.allowlistKey() + ": "
                        + (account.allowsAny()
                                ? "any conversation"
                                : account.allowlistSize() == 0
                                        ? "empty"
                                        : account.allowlistSize()
                                                + (account.allowlistSize() == 1 ? " conversation" : " conversations"));
                List<String> secrets = new ArrayList<>();
                account.secrets().forEach((key, source) -> secrets.add(key + "=" + source));
                rows.add(new String[] {
                    account.id(), account.isDefault() ? "yes" : "-", allowlist, String.join(", ", secrets)
                });
            }
            int[] widths = new int[3];
            for (String[] row : rows) {
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                lines.add(("  " + pad(row[0], widths[0]) + "  " + pad(row[1], widths[1]) + "  " + pad(row[2], widths[2])
                                + "  " + row[3])
                        .stripTrailing());
            }
        }
        return lines;
    }

    private static List<String> aliases(ChannelProvider provider) {
        return provider.aliases().stream().sorted().toList();
    }

    private static String kind(ChannelProvider provider) {
        return provider.kind() == ChannelKind.REPLY_LOOP ? "reply-loop" : "outbound-only";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
