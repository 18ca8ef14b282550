package dev.switchboard.spi;

/**
 * The version of the channel SPI: its major version, which changes only with an incompatible change.
 *
 * <p>A provider reports the version it was compiled against by implementing {@link
 * ChannelProvider#spiVersion()} as {@code return SpiVersion.CURRENT;}. {@code CURRENT} is a
 * compile-time constant, so javac copies its value into the provider's own class file: at run time
 * the method answers the version of the {@code gateway-spi} the provider was built with, not the one
 * the gateway runs. The gateway refuses a provider whose version differs from its own, and one built
 * before SPI 1 (it has no {@code spiVersion()}), with one line naming the provider's class, the jar or
 * directory it was loaded from and both versions, instead of failing later with a linkage error.
 *
 * <p>Compatibility promise: within one version, the SPI only grows, and every method added to an
 * existing interface is a {@code default} method, so a provider built against an earlier release of
 * the same version keeps loading and working. {@code CURRENT} is bumped only for a change that would
 * break such a provider (a removed or changed method, a new abstract method).
 */
public final class SpiVersion {
    /** The SPI version of this {@code gateway-spi}; a provider returns it from {@link ChannelProvider#spiVersion()}. */
    public static final int CURRENT = 1;

    private SpiVersion() {}
}
