package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The channel SPI's version rule (docs/spi.md): the gateway runs a provider only when it was compiled
 * against the gateway's own SPI version, {@link SpiVersion#CURRENT}. A provider compiled before SPI 1
 * has no {@code spiVersion()} at all; calling it throws {@link AbstractMethodError}, which counts as a
 * skew too. {@link ChannelRegistry} refuses such providers; {@code doctor} and plugin listings use the
 * same answers.
 */
public final class SpiCompatibility {
    private SpiCompatibility() {}

    /**
     * The SPI version {@code provider} was compiled against, or empty when it was compiled before SPI 1
     * (it does not implement {@code spiVersion()}).
     */
    public static OptionalInt compiledVersion(ChannelProvider provider) {
        requireNonNull(provider, "provider is null");
        try {
            return OptionalInt.of(provider.spiVersion());
        } catch (AbstractMethodError e) {
            return OptionalInt.empty();
        }
    }

    /**
     * Why this gateway cannot run {@code provider}, in one line naming its class, the jar or directory
     * it came from ({@link ProviderOrigin}) and both SPI versions; empty when it can.
     */
    public static Optional<String> problem(ChannelProvider provider) {
        requireNonNull(provider, "provider is null");
        String found;
        try {
            OptionalInt version = compiledVersion(provider);
            if (version.isPresent() && version.getAsInt() == SpiVersion.CURRENT) {
                return Optional.empty();
            }
            found = version.isPresent()
                    ? "was compiled against channel SPI " + version.getAsInt()
                    : "was compiled against a channel SPI older than 1 (it does not implement spiVersion())";
        } catch (LinkageError | RuntimeException e) {
            // a provider whose spiVersion() cannot even run was not built against this SPI either
            found = "failed in spiVersion() (" + e + ")";
        }
        return Optional.of("channel provider " + ProviderOrigin.describe(provider.getClass()) + " " + found
                + "; this gateway runs channel SPI " + SpiVersion.CURRENT
                + " (expected: a provider compiled against channel SPI " + SpiVersion.CURRENT + ")");
    }
}
