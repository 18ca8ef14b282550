package dev.switchboard.cli;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.plugins.ChannelPlugin;
import dev.switchboard.core.channel.plugins.ChannelPlugins;
import dev.switchboard.spi.ChannelProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The channels built into the launcher jar, and with them and the plugins' the {@link ChannelRegistry}
 * every command uses. {@code bin/switchboard} runs the jar alone on the class path and says so with
 * {@code -Dswitchboard.bundled=true}: the built-in channels are then exactly the providers the build
 * merged into the jar's {@code META-INF/services} ({@code BundledChannelsLauncherIT} holds the two
 * equal), made here by name, because the {@code ServiceLoader} would open the 35 MB jar to read that
 * one file (~10 ms of a short command's ~70, measured). Any other way of running ({@code java -jar},
 * an embedding, the tests) looks with the {@code ServiceLoader}.
 */
public final class BundledChannels {
    /** Set by the launcher: the class path is the launcher jar and nothing else. */
    public static final String PROPERTY = "switchboard.bundled";

    /** The providers of the channel modules gateway-cli depends on, as in their service files. */
    public static final List<String> PROVIDERS = List.of(
            "dev.switchboard.channel.feishu.FeishuChannelProvider",
            "dev.switchboard.channel.telegram.TelegramChannelProvider",
            "dev.switchboard.channel.wecom.WeComChannelProvider",
            "dev.switchboard.channel.wecom.robot.WeComRobotChannelProvider");

    private BundledChannels() {}

    /**
     * The built-in channels and those of {@code plugins}; fails, one line per plugin, when a plugin
     * did not load.
     *
     * @throws SwitchboardException a CONFIG error
     */
    public static ChannelRegistry registry(ChannelPlugins plugins) {
        return registry(plugins.requireNoProblems().plugins());
    }

    /**
     * The built-in channels and those of {@code plugins}.
     *
     * @throws SwitchboardException a CONFIG error when a provider cannot be made or two claim a name
     */
    public static ChannelRegistry registry(Collection<ChannelPlugin> plugins) {
        return ChannelRegistry.of(builtIn(Boolean.getBoolean(PROPERTY)), plugins);
    }

    /** The built-in channels: made from {@link #PROVIDERS} when {@code bundled}, else as found. */
    static List<ChannelProvider> builtIn(boolean bundled) {
        ClassLoader loader = BundledChannels.class.getClassLoader();
        if (!bundled) {
            return ChannelRegistry.onClassPath(loader);
        }
        List<ChannelProvider> providers = new ArrayList<>(PROVIDERS.size());
        for (String name : PROVIDERS) {
            try {
                providers.add(Class.forName(name, true, loader)
                        .asSubclass(ChannelProvider.class)
                        .getConstructor()
                        .newInstance());
            } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                throw new SwitchboardException(
                        SwitchboardException.Kind.CONFIG,
                        "cannot load the bundled channel provider " + name + ": " + e
                                + " (expected: the launcher jar as built, alone on the class path)",
                        e);
            }
        }
        return providers;
    }
}
