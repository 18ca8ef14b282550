package dev.switchboard.core.reload;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigKeys;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.ReloadKind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reload kind of every known config key path (SPEC §8): the core's keys from {@link
 * ConfigKeys}, each channel's account keys from its {@link ChannelProvider#reloadKind(String)}. A
 * changed path takes the kind of the longest rule that is a prefix of it (segment by segment, an
 * account id matching any segment); a path no rule covers counts as {@link ReloadKind#RESTART}.
 */
public final class ReloadRules {
    private static final String ANY = "*";

    /** Rule pattern (dotted, {@code *} for one segment) to kind, the core's first. */
    private final Map<String, ReloadKind> rules = new LinkedHashMap<>();

    public ReloadRules(ChannelRegistry registry) {
        requireNonNull(registry, "registry is null");
        ConfigKeys.core().forEach(key -> rules.put(key.path(), key.reload()));
        for (ChannelProvider provider : registry.providers()) {
            String id = provider.id();
            rules.put(id, ReloadKind.CHANNEL); // a section added or removed: its accounts start or stop
            rules.put(id + "." + ConfigKeys.ACCOUNTS + "." + ANY, ReloadKind.CHANNEL);
            for (ConfigKeys.Key key : ConfigKeys.channel(provider)) {
                rules.put(key.path(), key.reload());
                if (provider.accountKeys().contains(key.name())) {
                    rules.put(id + "." + ConfigKeys.ACCOUNTS + "." + ANY + "." + key.name(), key.reload());
                }
            }
        }
    }

    /** The kind of a changed path: its longest matching rule's, else RESTART. */
    public ReloadKind kindOf(String path) {
        return rule(path).map(rules::get).orElse(ReloadKind.RESTART);
    }

    /** The longest rule covering {@code path} exactly or as a prefix; empty when none does. */
    public Optional<String> rule(String path) {
        List<String> segments =
                Arrays.asList(requireNonNull(path, "path is null").split("\\.", -1));
        String best = null;
        int bestLength = -1;
        for (String pattern : rules.keySet()) {
            String[] parts = pattern.split("\\.", -1);
            if (parts.length > bestLength && parts.length <= segments.size() && matches(parts, segments)) {
                best = pattern;
                bestLength = parts.length;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Whether {@code path} has a rule of its own: exactly, or (for table keys such as {@code
     * gateway.control_ui.allowed_origins}) through a rule that names it fully. A key in the config
     * reference without one would silently count as RESTART; a test walks the reference with this.
     */
    public boolean hasExplicitRule(String path) {
        return rule(path)
                .map(pattern -> pattern.split("\\.", -1).length == path.split("\\.", -1).length)
                .orElse(false);
    }

    private static boolean matches(String[] pattern, List<String> segments) {
        for (int i = 0; i < pattern.length; i++) {
            if (!pattern[i].equals(ANY) && !pattern[i].equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }
}
