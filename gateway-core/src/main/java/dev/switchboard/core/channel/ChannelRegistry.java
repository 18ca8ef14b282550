package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.plugins.ChannelPlugin;
import dev.switchboard.core.channel.plugins.ChannelPlugins;
import dev.switchboard.spi.ChannelKind;
import dev.switchboard.spi.ChannelProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The channels this gateway knows: providers found with {@link ServiceLoader}, providers from
 * {@link ChannelPlugins channel plugins}, and any handed in directly; each with its {@link
 * ChannelSource}. Construction fails fast, naming the classes and where they came from, on an SPI
 * version skew ({@link SpiCompatibility}: the provider's class and jar, and both versions) or on two
 * providers claiming the same id or alias.
 */
public final class ChannelRegistry {
    private final Map<String, ChannelProvider> byId;
    private final Map<String, ChannelProvider> byName;
    private final Map<String, ChannelSource> sources;
    private final List<ChannelPlugin> plugins;

    /** A provider and where it came from. */
    private record Registration(ChannelProvider provider, ChannelSource source) {}

    private ChannelRegistry(Collection<Registration> registrations, List<ChannelPlugin> plugins) {
        Map<String, ChannelProvider> ids = new TreeMap<>();
        Map<String, Registration> names = new LinkedHashMap<>();
        Map<String, ChannelSource> idSources = new HashMap<>();
        for (Registration registration : registrations) {
            ChannelProvider provider = registration.provider();
            checkVersion(provider);
            String id = normalize(provider.id());
            if (id.isEmpty() || !id.equals(provider.id())) {
                throw SwitchboardException.config(
                        "channel provider " + provider.getClass().getName() + " has id '" + provider.id()
                                + "' (expected: a non-empty lower-case id)");
            }
            register(names, id, registration);
            ids.put(id, provider);
            idSources.put(id, registration.source());
            for (String alias : provider.aliases()) {
                register(names, normalize(alias), registration);
            }
        }
        this.byId = Collections.unmodifiableMap(ids); // a TreeMap: providers() promises id order
        Map<String, ChannelProvider> providersByName = new HashMap<>();
        names.forEach((name, registration) -> providersByName.put(name, registration.provider()));
        this.byName = Map.copyOf(providersByName);
        this.sources = Map.copyOf(idSources);
        this.plugins = List.copyOf(plugins);
    }

    /** Providers on the class path, plus {@code extra} (tests and embedders). */
    public static ChannelRegistry discover(ChannelProvider... extra) {
        return discover(ChannelRegistry.class.getClassLoader(), List.of(extra));
    }

    public static ChannelRegistry discover(ClassLoader loader, Collection<ChannelProvider> extra) {
        return of(withExtra(onClassPath(loader), extra), List.of());
    }

    /**
     * Providers on the class path and in {@code plugins}, plus {@code extra}. Fails when a plugin
     * could not be loaded, or when a plugin's channel id or alias is already taken (by a built-in
     * channel or another plugin), naming both.
     *
     * @throws SwitchboardException a CONFIG error
     */
    public static ChannelRegistry discover(ChannelPlugins plugins, ChannelProvider... extra) {
        return discover(plugins.requireNoProblems().plugins(), extra);
    }

    /**
     * Providers on the class path and in the given plugins, plus {@code extra}: for a tool that
     * reports the plugins that did not load and goes on with the others.
     */
    public static ChannelRegistry discover(Collection<ChannelPlugin> plugins, ChannelProvider... extra) {
        return of(withExtra(onClassPath(ChannelRegistry.class.getClassLoader()), List.of(extra)), plugins);
    }

    /**
     * The providers {@link ServiceLoader} finds with {@code loader}: the channels built into the class
     * path. It reads every jar's {@code META-INF/services}, so a process that knows its built-in
     * channels otherwise hands them to {@link #of(List, Collection)} instead.
     *
     * @throws SwitchboardException a CONFIG error naming the provider that could not be loaded
     */
    public static List<ChannelProvider> onClassPath(ClassLoader loader) {
        List<ChannelProvider> found = new ArrayList<>();
        try {
            ServiceLoader.load(ChannelProvider.class, loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.CONFIG, "cannot load a channel provider: " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * The built-in providers given and those of {@code plugins}; fails, naming both, when two claim
     * the same id or alias.
     *
     * @throws SwitchboardException a CONFIG error
     */
    public static ChannelRegistry of(List<ChannelProvider> builtIn, Collection<ChannelPlugin> plugins) {
        List<Registration> all = new ArrayList<>();
        builtIn.forEach(provider -> all.add(new Registration(provider, ChannelSource.builtIn())));
        for (ChannelPlugin plugin : plugins) {
            ChannelSource source = ChannelSource.plugin(plugin.path());
            plugin.providers().forEach(provider -> all.add(new Registration(provider, source)));
        }
        return new ChannelRegistry(all, List.copyOf(plugins));
    }

    private static List<ChannelProvider> withExtra(List<ChannelProvider> found, Collection<ChannelProvider> extra) {
        List<ChannelProvider> all = new ArrayList<>(found);
        all.addAll(extra);
        return all;
    }

    /** Exactly the given providers, no discovery; all built in. */
    public static ChannelRegistry of(ChannelProvider... providers) {
        return of(List.of(providers), List.of());
    }

    /** Looks a channel up by id or alias, ignoring case and surrounding blanks. */
    public Optional<ChannelProvider> find(String idOrAlias) {
        return Optional.ofNullable(byName.get(normalize(idOrAlias)));
    }

    public Optional<ChannelProvider> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Where the channel with this id came from: built in, or which plugin. */
    public Optional<ChannelSource> source(String id) {
        return Optional.ofNullable(sources.get(id));
    }

    /** The plugins whose channels this registry holds, in the order they were loaded. */
    public List<ChannelPlugin> plugins() {
        return plugins;
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

    private static void register(Map<String, Registration> names, String name, Registration registration) {
        Registration previous = names.putIfAbsent(name, registration);
        if (previous != null && previous.provider() != registration.provider()) {
            throw SwitchboardException.config("channel id or alias '" + name + "' is claimed by both "
                    + describe(previous) + " and " + describe(registration));
        }
    }

    /**
     * {@code com.example.EchoProvider (plugin /opt/plugins/echo.jar)}, {@code
     * dev.switchboard.channel.telegram.TelegramProvider (built-in, /opt/switchboard.jar)}.
     */
    private static String describe(Registration registration) {
        Class<?> type = registration.provider().getClass();
        if (!registration.source().isBuiltIn()) {
            return type.getName() + " (plugin " + registration.source() + ")";
        }
        return type.getName() + " (built-in, " + ProviderOrigin.where(type) + ")";
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
