package dev.switchboard.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.switchboard.core.channel.ChannelRegistry;

/**
 * The channels on the class path. Discovery runs the {@code ServiceLoader} over every jar, so it
 * happens on first use only: inject {@code Provider<ChannelRegistry>} and call {@code get()} where
 * the channels are needed.
 */
public final class ChannelsModule extends AbstractModule {
    @Provides
    @LazySingleton
    ChannelRegistry channelRegistry() {
        return ChannelRegistry.discover();
    }
}
