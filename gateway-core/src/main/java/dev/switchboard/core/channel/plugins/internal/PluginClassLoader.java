package dev.switchboard.core.channel.plugins.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One plugin's class loader. Classes and resources of the shared packages (the SPI and the
 * libraries it promises) come from the gateway's loader and nowhere else, so a plugin's {@code
 * ChannelProvider} is the gateway's type; the JDK comes from the platform loader; everything else
 * comes from the plugin's own jars only, so a plugin may bundle another version of a library the
 * gateway also has, and sees none of the gateway's internals.
 */
public final class PluginClassLoader extends URLClassLoader {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader host;
    private final List<String> sharedPrefixes;
    private final List<String> sharedResourcePrefixes;

    /**
     * @param name the plugin's name, shown in stack traces and class loading logs
     * @param jars the plugin's jars
     * @param host the gateway's loader: the one that loaded the SPI
     * @param sharedPackages the packages (and their sub-packages) taken from {@code host}
     */
    public PluginClassLoader(String name, List<URL> jars, ClassLoader host, List<String> sharedPackages) {
        super(name, jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.host = requireNonNull(host, "host is null");
        this.sharedPrefixes = sharedPackages.stream().map(p -> p + ".").toList();
        this.sharedResourcePrefixes =
                sharedPackages.stream().map(p -> p.replace('.', '/') + "/").toList();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (sharedPrefixes.stream().anyMatch(name::startsWith)) {
            return host.loadClass(name);
        }
        // the platform loader first (the JDK cannot be replaced), then the plugin's jars
        return super.loadClass(name, resolve);
    }

    @Override
    public @Nullable URL getResource(String name) {
        return sharedResource(name) ? host.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return sharedResource(name) ? host.getResources(name) : super.getResources(name);
    }

    private boolean sharedResource(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        return sharedResourcePrefixes.stream().anyMatch(path::startsWith);
    }
}
