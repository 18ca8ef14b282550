package dev.switchboard.testkit.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.SpiVersion;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TCK's discovery test fails a provider the gateway's SPI version check would refuse, naming the rule. */
class ChannelTckCatchesSpiSkewTest {
    @TempDir
    Path stateDir;

    @TempDir
    Path services;

    @Test
    void aProviderOfAnotherSpiVersionFailsTheDiscoveryTest() throws Exception {
        Path file = services.resolve("META-INF/services/dev.switchboard.spi.ChannelProvider");
        Files.createDirectories(file.getParent());
        Files.writeString(file, SkewedChannelProvider.class.getName() + "\n", UTF_8);
        ChannelTck tck = new ChannelTck() {
            @Override
            protected TckPlatform startPlatform() {
                return FakeTelegramPlatform.start("tckskewed");
            }
        };
        tck.stateDir = stateDir;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // the TCK finds providers as ServiceLoader does by default: through the context class loader
        try (URLClassLoader withSkewed = new URLClassLoader(
                new URL[] {services.toUri().toURL()}, getClass().getClassLoader())) {
            thread.setContextClassLoader(withSkewed);
            tck.startTck();
            assertThatThrownBy(tck::providerIsDiscoveredThroughServiceLoader)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the gateway's SPI version check")
                    .hasMessageContaining(SkewedChannelProvider.class.getName())
                    .hasMessageContaining("was compiled against channel SPI " + (SpiVersion.CURRENT + 1));
        } finally {
            thread.setContextClassLoader(previous);
            tck.stopTck();
        }
    }
}
