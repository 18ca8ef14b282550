package dev.switchboard.core.channel.plugins.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.plugins.ChannelPlugin;
import dev.switchboard.core.channel.plugins.PluginProblem;
import dev.switchboard.core.internal.Failures;
import dev.switchboard.spi.ChannelProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the plugins in the given locations and loads each in its own {@link PluginClassLoader}. A
 * location is a plugin directory (each {@code .jar} in it is a plugin, each sub-directory a plugin
 * made of the jars in it) or a single plugin jar. Every problem is collected, one line naming the
 * jar, instead of stopping at the first: an operator fixes them all in one go.
 */
public final class PluginScanner {
    private static final String SERVICE_FILE = "META-INF/services/" + ChannelProvider.class.getName();

    private final ClassLoader host;
    private final List<String> sharedPackages;
    private final List<ChannelPlugin> plugins = new ArrayList<>();
    private final List<PluginProblem> problems = new ArrayList<>();
    private final List<PluginClassLoader> loaders = new ArrayList<>();

    /** What a scan found: the plugins, the problems, and the loaders to close after use. */
    public record Scan(List<ChannelPlugin> plugins, List<PluginProblem> problems, List<PluginClassLoader> loaders) {
        public Scan {
            plugins = List.copyOf(plugins);
            problems = List.copyOf(problems);
            loaders = List.copyOf(loaders);
        }
    }

    private PluginScanner(ClassLoader host, List<String> sharedPackages) {
        this.host = requireNonNull(host, "host is null");
        this.sharedPackages = List.copyOf(sharedPackages);
    }

    public static Scan scan(List<Path> locations, ClassLoader host, List<String> sharedPackages) {
        PluginScanner scanner = new PluginScanner(host, sharedPackages);
        Set<Path> seen = new LinkedHashSet<>();
        for (Path location : locations) {
            // the same directory named twice (flag and default, say) is scanned once
            if (seen.add(location.toAbsolutePath().normalize())) {
                scanner.location(location);
            }
        }
        return new Scan(scanner.plugins, scanner.problems, scanner.loaders);
    }

    private void location(Path location) {
        if (Files.isDirectory(location)) {
            List<Path> entries;
            try (Stream<Path> list = Files.list(location)) {
                entries = list.sorted().toList();
            } catch (IOException e) {
                problem(location, "cannot list the plugin directory: " + Failures.describe(e));
                return;
            }
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith(".")) {
                    continue; // editor and OS droppings (.DS_Store, .swp)
                }
                if (Files.isDirectory(entry)) {
                    directoryPlugin(entry);
                } else if (isJar(entry)) {
                    plugin(entry, List.of(entry));
                } else {
                    Log.LOG.debug("ignoring {}: not a .jar or a directory of jars", entry);
                }
            }
        } else if (Files.isRegularFile(location) && isJar(location)) {
            plugin(location, List.of(location));
        } else if (Files.exists(location)) {
            problem(location, "not a plugin directory or a .jar file");
        } else {
            problem(location, "does not exist (expected: a plugin directory or a plugin .jar)");
        }
    }

    /** A plugin made of the jars in {@code directory}: the channel's and its own libraries. */
    private void directoryPlugin(Path directory) {
        List<Path> jars;
        try (Stream<Path> list = Files.list(directory)) {
            jars = list.filter(PluginScanner::isJar).sorted().toList();
        } catch (IOException e) {
            problem(directory, "cannot list the plugin's directory: " + Failures.describe(e));
            return;
        }
        if (jars.isEmpty()) {
            problem(
                    directory,
                    "no .jar files in the plugin's directory (expected: the channel's jar and its libraries)");
            return;
        }
        plugin(directory, jars);
    }

    private void plugin(Path path, List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            String unreadable = unreadable(jar);
            if (unreadable != null) {
                problem(jar, unreadable);
                return;
            }
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                problem(jar, "cannot be loaded: " + Failures.describe(e));
                return;
            }
        }
        PluginClassLoader loader = new PluginClassLoader(path.getFileName().toString(), urls, host, sharedPackages);
        List<ChannelProvider> providers = providers(path, loader);
        if (providers.isEmpty()) {
            close(loader);
            return;
        }
        ChannelPlugin plugin = new ChannelPlugin(path, providers);
        try {
            Log.LOG.info("loaded channel plugin {}", plugin.summary());
        } catch (RuntimeException | LinkageError e) {
            // id() of a provider built against another SPI
            problem(path, "its channel provider does not work with this gateway: " + Failures.describe(e));
            close(loader);
            return;
        }
        plugins.add(plugin);
        loaders.add(loader);
    }

    /** The providers the plugin's service file names, created with the plugin's loader as context. */
    private List<ChannelProvider> providers(Path path, PluginClassLoader loader) {
        if (loader.findResource(SERVICE_FILE) == null) {
            problem(path, "no channel provider in it (expected: " + SERVICE_FILE + " naming the provider class)");
            return List.of();
        }
        List<ChannelProvider> providers = new ArrayList<>();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Iterator<ChannelProvider> found =
                    ServiceLoader.load(ChannelProvider.class, loader).iterator();
            while (found.hasNext()) {
                providers.add(found.next());
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            problem(path, describe(e));
            return List.of();
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (providers.isEmpty()) {
            problem(path, SERVICE_FILE + " names no provider class");
        }
        return providers;
    }

    /**
     * {@code channel provider com.example.EchoProvider could not be created: IllegalStateException:
     * boom}, from the {@code ServiceLoader}'s wording and the constructor's exception.
     */
    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        message = message.replaceFirst("^" + ChannelProvider.class.getName().replace(".", "\\.") + ": ", "")
                .replaceFirst("^Provider ", "channel provider ");
        Throwable cause = e.getCause();
        if (cause != null) {
            message += ": " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + Failures.describe(cause));
        }
        return message;
    }

    /** Why {@code jar} cannot be used as a jar, or null when it can. */
    private static @Nullable String unreadable(Path jar) {
        if (!Files.isReadable(jar)) {
            return "cannot be read (check its permissions)";
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            file.getManifest();
            return null;
        } catch (IOException | SecurityException e) {
            return "not a readable jar (" + Failures.describe(e) + ")";
        }
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
    }

    private void problem(Path path, String reason) {
        problems.add(new PluginProblem(path, reason));
    }

    private void close(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            Log.LOG.debug("closing the class loader of {}: {}", loader.getName(), Failures.describe(e));
        }
    }

    /**
     * The logger, made on first use: a scan that finds nothing to log (no plugins, the usual case)
     * does not start logging, whose start cost {@code config validate} ~45 ms of its ~160 (measured).
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(PluginScanner.class);
    }
}
