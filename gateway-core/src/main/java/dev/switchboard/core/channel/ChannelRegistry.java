package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The channels this gateway knows: providers found with {@link ServiceLoader} and any handed in
 * directly. Construction fails fast, naming the classes, on an SPI version skew ({@link
 * SpiCompatibility}: the provider's class and jar, and both versions) or on two providers claiming the
 * same id or alias.
 */
public final class ChannelRegistry {
    private final Map<String, ChannelProvider> byId;
    private final Map<String, ChannelProvider> byName;

    private ChannelRegistry(Collection<ChannelProvider> providers) {
        Map<String, ChannelProvider> ids = new TreeMap<>();
        Map<String, ChannelProvider> names = new LinkedHashMap<>();
        for (ChannelProvider provider : providers) {
            checkVersion(provider);
            String id = normalize(provider.id());
            if (id.isEmpty() || !id.equals(provider.id())) {
                throw SwitchboardException.config(
                        "channel provider " + provider.getClass().getName() + " has id '" + provider.id()
                                + "' (expected: a non-empty lower-case id)");
            }
            register(names, id, provider);
            ids.put(id, provider);
            for (String alias : provider.aliases()) {
                register(names, normalize(alias), provider);
            }
        }
        this.byId = Collections.unmodifiableMap(ids); // a TreeMap: providers() promises id order
        this.byName = Map.copyOf(names);
    }

    /** Providers on the class path, plus {@code extra} (tests and embedders). */
    public static ChannelRegistry discover(ChannelProvider... extra) {
        return discover(ChannelRegistry.class.getClassLoader(), List.of(extra));
    }

    public static ChannelRegistry discover(ClassLoader loader, Collection<ChannelProvider> extra) {
        List<ChannelProvider> all = new ArrayList<>();
        try {
            ServiceLoader.load(ChannelProvider.class, loader).forEach(all::add);
        } catch (ServiceConfigurationError e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.CONFIG, "cannot load a channel provider: " + e.getMessage(), e);
        }
        all.addAll(extra);
        return new ChannelRegistry(all);
    }

    /** Exactly the given providers, no discovery. */
    public static ChannelRegistry of(ChannelProvider... providers) {
        return new ChannelRegistry(List.of(providers));
    }

    /** Looks a channel up by id or alias, ignoring case and surrounding blanks. */
    public Optional<ChannelProvider> find(String idOrAlias) {
        return Optional.ofNullable(byName.get(normalize(idOrAlias)));
    }

    public Optional<ChannelProvider> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every provider, sorted by id. */
    public List<ChannelProvider> providers() {
        return List.copyOf(byId.values());
    }

    /** Ids of the channels that can run in the reply loop, sorted. */
    public List<String> replyLoopIds() {
        return byId.values().stream()
                .filter(p -> p.kind() == ChannelKind.REPLY_LOOP)
                .map(ChannelProvider::id)
                .toList();
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    private static void register(Map<String, ChannelProvider> names, String name, ChannelProvider provider) {
        ChannelProvider previous = names.putIfAbsent(name, provider);
        if (previous != null && previous != provider) {
            throw SwitchboardException.config("channel id or alias '" + name + "' is claimed by both "
                    + previous.getClass().getName() + " and "
                    + provider.getClass().getName());
        }
    }

    private static void checkVersion(ChannelProvider provider) {
        requireNonNull(provider, "provider is null");
        SpiCompatibility.problem(provider).ifPresent(problem -> {
            throw SwitchboardException.config(problem);
        });
    }

    static String normalize(String name) {
        return name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    }
}
