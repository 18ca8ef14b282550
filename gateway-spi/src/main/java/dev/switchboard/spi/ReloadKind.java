package dev.switchboard.spi;

import java.util.Locale;

/**
 * What it takes to apply a change of one config key to a running gateway (SPEC §8). The gateway
 * declares its own keys' kinds; a channel declares its account keys' through {@link
 * ChannelProvider#reloadKind(String)}.
 */
public enum ReloadKind {
    /** Applied live, nothing restarts: allowlists, agent settings, {@code gateway.auth.*} rotation. */
    HOT,
    /** Restarts only the channel account(s) concerned: the old adapter closes, a new one starts. */
    CHANNEL,
    /** Needs a gateway restart: {@code gateway.port}, {@code gateway.bind}, {@code store.url}. */
    RESTART;

    /**
     * The kind as written in docs, logs and {@code config.plan}.
     *
     * @return the lower-case name: {@code hot}, {@code channel}, {@code restart}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
