package dev.switchboard.core.channel.plugins;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.plugins.internal.PluginClassLoader;
import dev.switchboard.core.channel.plugins.internal.PluginScanner;
import dev.switchboard.spi.ChannelProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Channel plugins: channel jars loaded at run time, each in a class loader of its own that sees the
 * JDK, the channel SPI and the libraries the SPI promises ({@link #SHARED_PACKAGES}) from the
 * gateway, and everything else from the plugin's own jars only. Hand them to {@link
 * dev.switchboard.core.channel.ChannelRegistry#discover(ChannelPlugins, ChannelProvider...)}.
 *
 * <p>A location is a plugin directory, in which every {@code .jar} is one plugin and every
 * sub-directory is one plugin made of the jars in it (a channel and its own libraries), or a single
 * plugin jar. Each plugin names its providers in {@code
 * META-INF/services/dev.switchboard.spi.ChannelProvider}.
 *
 * <p>Close it once nothing uses the plugins' channels any more (after the gateway stopped): that
 * closes the plugins' jars.
 */
public final class ChannelPlugins implements AutoCloseable {
    /**
     * The packages (with their sub-packages) a plugin takes from the gateway instead of its own jars:
     * the channel SPI and what its types expose (SPEC §1): Typesafe Config ({@code
     * AccountSettings.values()}), the SLF4J API (logging goes to the gateway's backend), and OkHttp
     * with Okio and the Kotlin standard library it is written in ({@code ChannelContext.httpClient()}).
     * The JDK comes from the platform class loader.
     */
    public static final List<String> SHARED_PACKAGES =
            List.of("dev.switchboard.spi", "com.typesafe.config", "org.slf4j", "okhttp3", "okio", "kotlin");

    private static final ChannelPlugins NONE =
            new ChannelPlugins(new PluginScanner.Scan(List.of(), List.of(), List.of()));

    private final List<ChannelPlugin> plugins;
    private final List<PluginProblem> problems;
    private final List<PluginClassLoader> loaders;

    private ChannelPlugins(PluginScanner.Scan scan) {
        this.plugins = scan.plugins();
        this.problems = scan.problems();
        this.loaders = scan.loaders();
    }

    /** No plugins. */
    public static ChannelPlugins none() {
        return NONE;
    }

    /**
     * Loads every plugin in {@code locations} that can be loaded, and records a {@link PluginProblem}
     * for each one that cannot (an unreadable or corrupt jar, no provider, a provider whose
     * constructor throws) and for each location that does not exist. Logs one INFO line per plugin
     * loaded. For tools that report problems ({@code doctor}); a gateway uses {@link #load}.
     */
    public static ChannelPlugins scan(List<Path> locations) {
        requireNonNull(locations, "locations is null");
        return new ChannelPlugins(
                PluginScanner.scan(locations, ChannelProvider.class.getClassLoader(), SHARED_PACKAGES));
    }

    /**
     * Like {@link #scan}, but fails on any problem (closing what it loaded).
     *
     * @throws SwitchboardException a CONFIG error with one line per problem, each naming the jar
     */
    public static ChannelPlugins load(List<Path> locations) {
        ChannelPlugins plugins = scan(locations);
        if (!plugins.problems.isEmpty()) {
            plugins.close();
        }
        return plugins.requireNoProblems();
    }

    /** The plugins loaded, in the order found (locations in order, each directory sorted by name). */
    public List<ChannelPlugin> plugins() {
        return plugins;
    }

    /** What could not be loaded; empty when everything could. */
    public List<PluginProblem> problems() {
        return problems;
    }

    public boolean isEmpty() {
        return plugins.isEmpty();
    }

    /**
     * This, when there are no problems.
     *
     * @throws SwitchboardException a CONFIG error with one line per problem
     */
    public ChannelPlugins requireNoProblems() {
        if (problems.isEmpty()) {
            return this;
        }
        throw SwitchboardException.config(
                problems.stream().map(PluginProblem::toString).collect(Collectors.joining("\n")));
    }

    /** Closes the plugins' jars; classes they have not loaded yet cannot be loaded afterwards. */
    @Override
    public void close() {
        UncheckedIOException failure = null;
        for (PluginClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = new UncheckedIOException("cannot close the plugin " + loader.getName(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
