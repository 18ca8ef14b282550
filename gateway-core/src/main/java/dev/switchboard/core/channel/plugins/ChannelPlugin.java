package dev.switchboard.core.channel.plugins;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.SpiCompatibility;
import dev.switchboard.spi.ChannelProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * One loaded plugin: a jar, or a directory of jars, with its own class loader and the channel
 * providers found in it.
 *
 * @param path the plugin's jar or directory, as found in its plugin directory
 * @param providers the providers its {@code META-INF/services} names, in the order found; never empty
 */
public record ChannelPlugin(Path path, List<ChannelProvider> providers) {
    public ChannelPlugin {
        requireNonNull(path, "path is null");
        providers = List.copyOf(providers);
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("plugin " + path + " has no channel provider");
        }
    }

    /** The ids of its channels, in the order found. */
    public List<String> channelIds() {
        return providers.stream().map(ChannelProvider::id).toList();
    }

    /**
     * The channel SPI version its providers were compiled against: {@code 1}; {@code 1, 2} for a
     * plugin that mixes builds; {@code before 1} for a provider without {@code spiVersion()}.
     */
    public String spiVersion() {
        return providers.stream()
                .map(provider -> {
                    OptionalInt version = SpiCompatibility.compiledVersion(provider);
                    return version.isPresent() ? String.valueOf(version.getAsInt()) : "before 1";
                })
                .distinct()
                .sorted()
                .collect(Collectors.joining(", "));
    }

    /** {@code /opt/plugins/echo.jar: echo (SPI 1)}: what discovery logs and the launcher prints. */
    public String summary() {
        return path + ": " + String.join(", ", channelIds()) + " (SPI " + spiVersion() + ")";
    }
}
