package dev.switchboard.core.channel.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.channel.ChannelSource;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.SpiVersion;
import dev.switchboard.testkit.channel.PluginChannels;
import dev.switchboard.testkit.channel.PluginJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class ChannelPluginsTest {
    @TempDir
    Path tmp;

    private ChannelPlugins plugins = ChannelPlugins.none();

    @AfterEach
    void closePlugins() {
        plugins.close();
    }

    private Path pluginDir() {
        return tmp.resolve("plugins");
    }

    private static Path channelJar(Path jar, String className, String id) {
        return PluginJar.create()
                .source(className, PluginChannels.minimal(className, id))
                .provider(className)
                .writeTo(jar);
    }

    @Test
    void aPluginJarsChannelIsDiscoveredWithThePluginAsItsSource() throws Exception {
        Path jar = channelJar(pluginDir().resolve("echo.jar"), "com.example.echo.EchoProvider", "echo");
        Files.writeString(pluginDir().resolve("README.txt"), "not a plugin");

        plugins = ChannelPlugins.load(List.of(pluginDir()));
        ChannelRegistry registry = ChannelRegistry.discover(plugins);

        assertThat(plugins.plugins()).hasSize(1);
        ChannelPlugin plugin = plugins.plugins().get(0);
        assertThat(plugin.path()).isEqualTo(jar);
        assertThat(plugin.summary()).isEqualTo(jar + ": echo (SPI " + SpiVersion.CURRENT + ")");
        ChannelProvider echo = registry.find("echo").orElseThrow();
        assertThat(echo.getClass().getName()).isEqualTo("com.example.echo.EchoProvider");
        assertThat(echo.displayName()).isEqualTo("Echo");
        assertThat(registry.source("echo")).contains(ChannelSource.plugin(jar));
        assertThat(registry.plugins()).containsExactly(plugin);
        assertThat(registry.source("echo").orElseThrow()).hasToString(jar.toString());
    }

    @Test
    void aPluginSeesTheSpiAndThePromisedLibrariesFromTheGatewayButNotItsInternals() throws Exception {
        channelJar(pluginDir().resolve("echo.jar"), "com.example.echo.EchoProvider", "echo");

        plugins = ChannelPlugins.load(List.of(pluginDir()));
        ClassLoader loader =
                plugins.plugins().get(0).providers().get(0).getClass().getClassLoader();

        assertThat(loader).isNotSameAs(ChannelProvider.class.getClassLoader());
        for (Class<?> shared : List.of(
                ChannelProvider.class,
                Config.class,
                Logger.class,
                OkHttpClient.class,
                okio.Buffer.class,
                kotlin.Unit.class)) {
            assertThat(loader.loadClass(shared.getName()))
                    .as("%s in the plugin", shared.getName())
                    .isSameAs(shared);
        }
        assertThat(loader.loadClass("java.sql.Connection")).isSameAs(java.sql.Connection.class);
        for (Class<?> internal :
                List.of(Gateway.class, ChannelRegistry.class, ChannelPlugins.class, ObjectMapper.class)) {
            assertThatThrownBy(() -> loader.loadClass(internal.getName()))
                    .as("%s in the plugin", internal.getName())
                    .isInstanceOf(ClassNotFoundException.class);
        }
        assertThat(loader.getResource(Gateway.class.getName().replace('.', '/') + ".class"))
                .isNull();
    }

    @Test
    void aClassThePluginBundlesWinsOverTheGatewaysClassOfTheSameName() throws Exception {
        // the plugin ships "its own Jackson": a class named like the gateway's ObjectMapper
        PluginJar.create()
                .source(
                        "com.example.echo.EchoProvider",
                        PluginChannels.minimal("com.example.echo.EchoProvider", "echo"))
                .source(
                        ObjectMapper.class.getName(),
                        """
                        package com.fasterxml.jackson.databind;
                        public class ObjectMapper {
                            public static final String ORIGIN = "the plugin's own copy";
                        }
                        """)
                .provider("com.example.echo.EchoProvider")
                .writeTo(pluginDir().resolve("echo.jar"));

        plugins = ChannelPlugins.load(List.of(pluginDir()));
        ClassLoader loader =
                plugins.plugins().get(0).providers().get(0).getClass().getClassLoader();
        Class<?> mapper = loader.loadClass(ObjectMapper.class.getName());

        assertThat(mapper).isNotSameAs(ObjectMapper.class);
        assertThat(mapper.getClassLoader()).isSameAs(loader);
        assertThat(mapper.getField("ORIGIN").get(null)).isEqualTo("the plugin's own copy");
    }

    @Test
    void aDirectoryOfJarsIsOnePluginWhoseChannelUsesItsOwnLibrary() throws Exception {
        Path plugin = pluginDir().resolve("greeter");
        Path library = PluginJar.create()
                .source(
                        "com.example.lib.Names",
                        "package com.example.lib; public final class Names { public static String display() { return \"Greeter (with its own library)\"; } }")
                .writeTo(plugin.resolve("names-lib.jar"));
        String provider = PluginChannels.minimal("com.example.greeter.GreeterProvider", "greeter")
                .replace("return \"Greeter\";", "return com.example.lib.Names.display();");
        PluginJar.create()
                .source("com.example.greeter.GreeterProvider", provider)
                .provider("com.example.greeter.GreeterProvider")
                .classpath(library)
                .writeTo(plugin.resolve("greeter.jar"));

        plugins = ChannelPlugins.load(List.of(pluginDir()));
        ChannelRegistry registry = ChannelRegistry.discover(plugins);

        assertThat(registry.find("greeter").orElseThrow().displayName()).isEqualTo("Greeter (with its own library)");
        assertThat(registry.source("greeter")).contains(ChannelSource.plugin(plugin));
    }

    @Test
    void aJarGivenDirectlyIsAPlugin() {
        Path jar = channelJar(tmp.resolve("elsewhere/echo.jar"), "com.example.echo.EchoProvider", "echo");

        plugins = ChannelPlugins.load(List.of(jar));

        assertThat(plugins.plugins()).extracting(ChannelPlugin::path).containsExactly(jar);
    }

    @Test
    void aCorruptJarIsAOneLineProblemNamingItAndTheOtherPluginsStillLoad() throws Exception {
        Files.createDirectories(pluginDir());
        Path corrupt = Files.writeString(pluginDir().resolve("broken.jar"), "this is not a zip file");
        channelJar(pluginDir().resolve("echo.jar"), "com.example.echo.EchoProvider", "echo");

        plugins = ChannelPlugins.scan(List.of(pluginDir()));

        assertThat(plugins.plugins()).extracting(ChannelPlugin::channelIds).containsExactly(List.of("echo"));
        assertThat(plugins.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo(corrupt);
            assertThat(problem.toString()).startsWith("plugin " + corrupt + ": not a readable jar (");
            assertThat(problem.toString()).doesNotContain("\n");
        });
        assertThatThrownBy(() -> ChannelPlugins.load(List.of(pluginDir())))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageStartingWith("plugin " + corrupt + ": not a readable jar (")
                .extracting(e -> ((SwitchboardException) e).kind())
                .isEqualTo(SwitchboardException.Kind.CONFIG);
    }

    @Test
    void aJarWithoutAProviderIsAProblemNamingIt() {
        Path jar = PluginJar.create()
                .source("com.example.Lonely", "package com.example; public final class Lonely {}")
                .writeTo(pluginDir().resolve("lonely.jar"));

        plugins = ChannelPlugins.scan(List.of(pluginDir()));

        assertThat(plugins.plugins()).isEmpty();
        assertThat(plugins.problems())
                .extracting(PluginProblem::toString)
                .containsExactly("plugin " + jar
                        + ": no channel provider in it (expected: META-INF/services/dev.switchboard.spi.ChannelProvider"
                        + " naming the provider class)");
    }

    @Test
    void aProviderWhoseConstructorThrowsIsAProblemNamingTheJarTheClassAndTheCause() {
        String source = PluginChannels.minimal("com.example.bad.BadProvider", "bad")
                .replace(
                        "public final class BadProvider implements ChannelProvider {",
                        """
                        public final class BadProvider implements ChannelProvider {
                            public BadProvider() { throw new IllegalStateException("no licence key"); }
                        """);
        Path jar = PluginJar.create()
                .source("com.example.bad.BadProvider", source)
                .provider("com.example.bad.BadProvider")
                .writeTo(pluginDir().resolve("bad.jar"));

        plugins = ChannelPlugins.scan(List.of(pluginDir()));

        assertThat(plugins.problems())
                .extracting(PluginProblem::toString)
                .containsExactly("plugin " + jar + ": channel provider com.example.bad.BadProvider could not be"
                        + " instantiated: IllegalStateException: no licence key");
    }

    @Test
    void aServiceFileNamingAMissingClassIsAProblemNamingTheJarAndTheClass() {
        Path jar = PluginJar.create()
                .source("com.example.Other", "package com.example; public final class Other {}")
                .provider("com.example.Missing")
                .writeTo(pluginDir().resolve("typo.jar"));

        plugins = ChannelPlugins.scan(List.of(pluginDir()));

        assertThat(plugins.problems())
                .extracting(PluginProblem::toString)
                .containsExactly("plugin " + jar + ": channel provider com.example.Missing not found");
    }

    @Test
    void aDirectoryPluginWithoutJarsAndAMissingLocationAreProblems() throws Exception {
        Path empty = Files.createDirectories(pluginDir().resolve("empty"));
        Path missing = tmp.resolve("no-such-dir");

        plugins = ChannelPlugins.scan(List.of(pluginDir(), missing));

        assertThat(plugins.problems())
                .extracting(PluginProblem::toString)
                .containsExactly(
                        "plugin " + empty
                                + ": no .jar files in the plugin's directory (expected: the channel's jar and its libraries)",
                        "plugin " + missing + ": does not exist (expected: a plugin directory or a plugin .jar)");
    }

    @Test
    void twoPluginsClaimingOneIdFailNamingBothJars() {
        Path first = channelJar(pluginDir().resolve("a-echo.jar"), "com.example.a.EchoProvider", "echo");
        Path second = channelJar(pluginDir().resolve("b-echo.jar"), "com.example.b.EchoProvider", "echo");
        plugins = ChannelPlugins.load(List.of(pluginDir()));

        assertThatThrownBy(() -> ChannelRegistry.discover(plugins))
                .isInstanceOf(SwitchboardException.class)
                .hasMessage("channel id or alias 'echo' is claimed by both com.example.a.EchoProvider (plugin " + first
                        + ") and com.example.b.EchoProvider (plugin " + second + ")");
    }

    @Test
    void aPluginClaimingABuiltInIdFailsNamingThePluginAndTheBuiltInChannel() {
        Path jar = channelJar(pluginDir().resolve("chat.jar"), "com.example.chat.ChatProvider", "chat");
        plugins = ChannelPlugins.load(List.of(pluginDir()));
        ChannelProvider builtIn = new dev.switchboard.testkit.channel.TestChannelProvider(
                dev.switchboard.testkit.channel.TestChannelProvider.Spec.replyLoop("chat", "allowed_ids"));

        assertThatThrownBy(() -> ChannelRegistry.discover(plugins, builtIn))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageStartingWith("channel id or alias 'chat' is claimed by both "
                        + "dev.switchboard.testkit.channel.TestChannelProvider (built-in, ")
                .hasMessageEndingWith(" and com.example.chat.ChatProvider (plugin " + jar + ")");
    }

    @Test
    void builtInChannelsAreBuiltIn() {
        ChannelProvider builtIn = new dev.switchboard.testkit.channel.TestChannelProvider(
                dev.switchboard.testkit.channel.TestChannelProvider.Spec.replyLoop("chat", "allowed_ids"));

        ChannelRegistry registry = ChannelRegistry.discover(ChannelPlugins.none(), builtIn);

        assertThat(registry.source("chat")).contains(ChannelSource.builtIn());
        assertThat(registry.source("chat").orElseThrow()).hasToString("built-in");
        assertThat(registry.source("nope")).isEmpty();
    }

    @Test
    void discoveryWithUnloadablePluginsFailsInsteadOfLeavingThemOut() throws Exception {
        Files.createDirectories(pluginDir());
        Path corrupt =
                Files.write(pluginDir().resolve("broken.jar"), "PK\3\4 truncated".getBytes(StandardCharsets.UTF_8));
        plugins = ChannelPlugins.scan(List.of(pluginDir()));

        assertThatThrownBy(() -> ChannelRegistry.discover(plugins))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageStartingWith("plugin " + corrupt + ": not a readable jar");
    }
}
