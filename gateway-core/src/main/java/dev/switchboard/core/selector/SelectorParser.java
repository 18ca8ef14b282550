package dev.switchboard.core.selector;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code --channel-account CHANNEL=ACCOUNT} entries (SPEC §3). Every failure is a one-line
 * {@link SwitchboardException.Kind#USAGE} error, raised before anything is started.
 */
public final class SelectorParser {
    private static final String FLAG = "--channel-account";

    private final ChannelRegistry registry;

    public SelectorParser(ChannelRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    public List<ChannelSelector> parse(List<String> entries) {
        List<ChannelSelector> selectors = new ArrayList<>();
        Map<String, ChannelSelector> byChannel = new HashMap<>();
        for (String entry : entries) {
            ChannelSelector selector = parseOne(entry);
            ChannelSelector earlier = byChannel.putIfAbsent(selector.channelId(), selector);
            if (earlier != null) {
                throw usage(
                        entry,
                        "channel '" + selector.channelId() + "' is already selected by '" + earlier.raw()
                                + "'; one channel family can only appear once");
            }
            selectors.add(selector);
        }
        return List.copyOf(selectors);
    }

    private ChannelSelector parseOne(String entry) {
        String raw = entry == null ? "" : entry.trim();
        if (raw.isEmpty()) {
            throw SwitchboardException.usage(FLAG + " entries cannot be empty (expected: CHANNEL=ACCOUNT)");
        }
        int eq = raw.indexOf('=');
        if (eq < 0) {
            throw usage(raw, "must use CHANNEL=ACCOUNT syntax");
        }
        String channel = raw.substring(0, eq).trim();
        String account = raw.substring(eq + 1).trim();
        if (channel.isEmpty()) {
            throw usage(raw, "is missing a channel id (expected: CHANNEL=ACCOUNT)");
        }
        if (account.isEmpty()) {
            throw usage(raw, "is missing an account id (expected: CHANNEL=ACCOUNT)");
        }
        ChannelProvider provider = registry.find(channel)
                .orElseThrow(() -> usage(
                        raw,
                        "names unknown channel '" + channel + "' (available runtime channels: " + availableChannels()
                                + ")"));
        if (provider.kind() == ChannelKind.OUTBOUND_ONLY) {
            throw usage(
                    raw,
                    "names '" + provider.id() + "', an outbound-only channel that does not belong in the"
                            + " gateway's reply loop (runtime channels: " + availableChannels() + ")");
        }
        return new ChannelSelector(provider.id(), account, raw);
    }

    private String availableChannels() {
        List<String> ids = registry.replyLoopIds();
        return ids.isEmpty() ? "none installed" : String.join(", ", ids);
    }

    private static SwitchboardException usage(String raw, String problem) {
        return SwitchboardException.usage(FLAG + " '" + raw + "' " + problem);
    }
}
