package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a channel came from: built in (on the gateway's own class path, or handed to the registry by
 * an embedder or a test) or a plugin loaded from a plugin directory. Listings show it; errors about
 * a channel name it.
 *
 * @param plugin the plugin's jar or directory; empty for a built-in channel
 */
public record ChannelSource(Optional<Path> plugin) {
    private static final ChannelSource BUILT_IN = new ChannelSource(Optional.empty());

    public ChannelSource {
        requireNonNull(plugin, "plugin is null");
    }

    public static ChannelSource builtIn() {
        return BUILT_IN;
    }

    public static ChannelSource plugin(Path path) {
        return new ChannelSource(Optional.of(requireNonNull(path, "path is null")));
    }

    public boolean isBuiltIn() {
        return plugin.isEmpty();
    }

    /** {@code built-in}, or the plugin's path. */
    @Override
    public String toString() {
        return plugin.map(Path::toString).orElse("built-in");
    }
}
