package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.spi.ChannelProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundledChannelsTest {
    @Test
    void theBundledChannelsAreTheChannelModulesFoundOnTheClassPath() {
        // the test class path adds test channels (TestChatProvider, the TCK's reference channel)
        List<String> channelModules = ChannelRegistry.onClassPath(getClass().getClassLoader()).stream()
                .map(provider -> provider.getClass().getName())
                .filter(name -> name.startsWith("dev.switchboard.channel."))
                .toList();

        List<ChannelProvider> bundled = BundledChannels.builtIn(true);

        assertThat(bundled)
                .extracting(provider -> provider.getClass().getName())
                .containsExactlyInAnyOrderElementsOf(channelModules)
                .containsExactlyElementsOf(BundledChannels.PROVIDERS);
    }

    @Test
    void withoutTheLaunchersWordTheClassPathIsSearched() {
        assertThat(BundledChannels.builtIn(false))
                .extracting(provider -> provider.getClass().getSimpleName())
                .contains("TelegramChannelProvider", "TestChatProvider");
    }

    @Test
    void theRegistryNamesEachBundledChannel() {
        ChannelRegistry registry = ChannelRegistry.of(BundledChannels.builtIn(true), List.of());

        assertThat(registry.providers()).extracting(ChannelProvider::id).contains("feishu", "telegram", "wecom");
        assertThat(registry.find("lark")).map(ChannelProvider::id).hasValue("feishu");
    }
}
