package dev.switchboard.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.plugins.ChannelPlugins;

/**
 * The channels: those in the launcher jar ({@link BundledChannels}) and those in the channel plugins
 * ({@link PluginLocations}). Discovery opens every plugin, so it happens on first use only: inject {@code Provider<ChannelRegistry>} and call {@code get()} where the channels
 * are needed. The plugins stay open for the rest of the process: their channels may run until it ends.
 */
public final class ChannelsModule extends AbstractModule {
    @Provides
    @LazySingleton
    PluginLocations pluginLocations(GlobalOptions globals, CliEnvironment env) {
        return PluginLocations.resolve(globals, env);
    }

    /** Every plugin that loads, and a problem for each one that does not (what {@code doctor} reports). */
    @Provides
    @LazySingleton
    ChannelPlugins channelPlugins(PluginLocations locations) {
        return ChannelPlugins.scan(locations.paths());
    }

    /** Fails, one line per plugin, when a plugin does not load or claims a channel id already taken. */
    @Provides
    @LazySingleton
    ChannelRegistry channelRegistry(ChannelPlugins plugins) {
        return BundledChannels.registry(plugins);
    }
}
