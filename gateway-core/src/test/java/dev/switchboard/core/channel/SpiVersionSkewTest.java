package dev.switchboard.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.SpiVersion;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers really compiled against another SPI (a stub {@code gateway-spi} with another {@code
 * SpiVersion.CURRENT}, built here with javac), jarred and loaded in their own class loader against this
 * gateway's SPI, as a plugin would be: the registry refuses each, naming the class, the jar and both versions.
 */
class SpiVersionSkewTest {
    private static final String PROVIDER = "com.acme.skew.SkewedChannelProvider";

    @TempDir
    Path dir;

    @Test
    void aProviderCompiledAgainstAnOlderSpiIsRefusedNamingItsJar() throws IOException {
        Path jar = providerJar("old", stubSpi(0, true), true);

        try (URLClassLoader loader = loaderFor(jar)) {
            assertThatThrownBy(() -> ChannelRegistry.discover(loader, List.of()))
                    .isInstanceOf(SwitchboardException.class)
                    .hasMessage("channel provider " + PROVIDER + " (from " + jar + ") was compiled against"
                            + " channel SPI 0; this gateway runs channel SPI 1 (expected: a provider compiled"
                            + " against channel SPI 1)");
            assertThat(SpiCompatibility.compiledVersion(load(loader))).isEqualTo(OptionalInt.of(0));
        }
    }

    @Test
    void aProviderCompiledAgainstAFutureSpiIsRefusedNamingItsJar() throws IOException {
        Path jar = providerJar("future", stubSpi(2, true), true);

        try (URLClassLoader loader = loaderFor(jar)) {
            assertThatThrownBy(() -> ChannelRegistry.discover(loader, List.of()))
                    .isInstanceOf(SwitchboardException.class)
                    .hasMessageContaining(PROVIDER + " (from " + jar + ")")
                    .hasMessageContaining("was compiled against channel SPI 2; this gateway runs channel SPI 1");
            assertThat(SpiCompatibility.compiledVersion(load(loader))).isEqualTo(OptionalInt.of(2));
        }
    }

    /** Before SPI 1, spiVersion() was a default method that providers did not implement. */
    @Test
    void aProviderCompiledBeforeSpiVersionWasItsOwnIsRefusedNamingItsJar() throws IOException {
        Path jar = providerJar("pre1", stubSpi(1, false), false);

        try (URLClassLoader loader = loaderFor(jar)) {
            assertThatThrownBy(() -> ChannelRegistry.discover(loader, List.of()))
                    .isInstanceOf(SwitchboardException.class)
                    .hasMessageContaining(PROVIDER + " (from " + jar + ")")
                    .hasMessageContaining("was compiled against a channel SPI older than 1 (it does not implement"
                            + " spiVersion()); this gateway runs channel SPI 1");
            assertThat(SpiCompatibility.compiledVersion(load(loader))).isEmpty();
        }
    }

    @Test
    void theSameProviderCompiledAgainstThisSpiIsLoaded() throws IOException {
        Path realSpi = Path.of(ProviderOrigin.where(ChannelProvider.class));
        Path classes = ProviderJars.compile(providerSource(true), List.of(realSpi), dir.resolve("current-classes"));
        Path jar = ProviderJars.jar(classes, PROVIDER, dir.resolve("current-channel.jar"));

        try (URLClassLoader loader = loaderFor(jar)) {
            ChannelRegistry registry = ChannelRegistry.discover(loader, List.of());
            ChannelProvider provider = registry.byId("skewed").orElseThrow();
            assertThat(provider.spiVersion()).isEqualTo(SpiVersion.CURRENT);
            assertThat(ProviderOrigin.where(provider.getClass())).isEqualTo(jar.toString());
            assertThat(SpiCompatibility.problem(provider)).isEmpty();
        }
    }

    @Test
    void aClassDirectoryIsNamedToo() throws IOException {
        Path classes =
                ProviderJars.compile(providerSource(true), List.of(stubSpi(0, true)), dir.resolve("dir-classes"));

        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            ChannelProvider provider = (ChannelProvider) newInstance(loader);
            assertThat(SpiCompatibility.problem(provider))
                    .get()
                    .asString()
                    .contains(PROVIDER + " (from " + classes + ")");
        }
    }

    /** A stub gateway-spi, compiled: just the types a provider names, and {@code SpiVersion.CURRENT = version}. */
    private Path stubSpi(int version, boolean abstractSpiVersion) throws IOException {
        String spiVersionMethod =
                abstractSpiVersion ? "int spiVersion();" : "default int spiVersion() { return SpiVersion.CURRENT; }";
        return ProviderJars.compile(
                Map.of(
                        "dev/switchboard/spi/SpiVersion.java",
                        "package dev.switchboard.spi;\n"
                                + "public final class SpiVersion { public static final int CURRENT = " + version
                                + "; private SpiVersion() {} }\n",
                        "dev/switchboard/spi/ChannelProvider.java",
                        "package dev.switchboard.spi;\n"
                                + "public interface ChannelProvider {\n"
                                + "    " + spiVersionMethod + "\n"
                                + "    String id();\n"
                                + "    java.util.Set<String> accountKeys();\n"
                                + "    String allowlistKey();\n"
                                + "    ChannelAdapter create(ChannelContext context);\n"
                                + "}\n",
                        "dev/switchboard/spi/ChannelAdapter.java",
                        "package dev.switchboard.spi;\npublic interface ChannelAdapter {}\n",
                        "dev/switchboard/spi/ChannelContext.java",
                        "package dev.switchboard.spi;\npublic interface ChannelContext {}\n"),
                List.of(),
                dir.resolve("stub-spi-" + version + "-" + abstractSpiVersion));
    }

    private static Map<String, String> providerSource(boolean implementsSpiVersion) {
        return Map.of(
                "com/acme/skew/SkewedChannelProvider.java",
                "package com.acme.skew;\n"
                        + "import dev.switchboard.spi.*;\n"
                        + "public final class SkewedChannelProvider implements ChannelProvider {\n"
                        + (implementsSpiVersion
                                ? "    @Override public int spiVersion() { return SpiVersion.CURRENT; }\n"
                                : "")
                        + "    @Override public String id() { return \"skewed\"; }\n"
                        + "    @Override public java.util.Set<String> accountKeys() {"
                        + " return java.util.Set.of(\"allowed_chat_ids\"); }\n"
                        + "    @Override public String allowlistKey() { return \"allowed_chat_ids\"; }\n"
                        + "    @Override public ChannelAdapter create(ChannelContext context) {"
                        + " throw new UnsupportedOperationException(); }\n"
                        + "}\n");
    }

    /** The provider compiled against {@code spi} only, in a jar of its own (the stub SPI is not in it). */
    private Path providerJar(String name, Path spi, boolean implementsSpiVersion) throws IOException {
        Path classes = ProviderJars.compile(
                providerSource(implementsSpiVersion), List.of(spi), dir.resolve(name + "-classes"));
        return ProviderJars.jar(classes, PROVIDER, dir.resolve(name + "-channel.jar"));
    }

    /** A plugin-style loader: the provider's jar, with this gateway's SPI from the parent. */
    private URLClassLoader loaderFor(Path jar) throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
    }

    private static ChannelProvider load(ClassLoader loader) {
        return ServiceLoader.load(ChannelProvider.class, loader).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.getClass().getName().equals(PROVIDER))
                .findFirst()
                .orElseThrow();
    }

    private static Object newInstance(ClassLoader loader) {
        try {
            return loader.loadClass(PROVIDER).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
