package dev.switchboard.testkit.tck;

import dev.switchboard.spi.SpiVersion;

/**
 * A broken channel: it reports an SPI version other than the gateway's, as a provider compiled against
 * another {@code gateway-spi} does. Not in META-INF/services (the registry would refuse every test's
 * discovery): {@link ChannelTckCatchesSpiSkewTest} lists it in a class loader of its own.
 */
public class SkewedChannelProvider extends ReferenceChannelProvider {
    public SkewedChannelProvider() {
        super("tckskewed");
    }

    @Override
    public int spiVersion() {
        return SpiVersion.CURRENT + 1;
    }
}
