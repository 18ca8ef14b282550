package dev.switchboard.spi;

/**
 * The version of the channel SPI. A provider reports the version it was compiled against through
 * {@link ChannelProvider#spiVersion()}; the gateway refuses providers built for a different major
 * version, naming the class, instead of failing later with a linkage error.
 */
public final class SpiVersion {
    /** Bumped only for incompatible changes; additions are {@code default} methods. */
    public static final int CURRENT = 1;

    private SpiVersion() {}
}
