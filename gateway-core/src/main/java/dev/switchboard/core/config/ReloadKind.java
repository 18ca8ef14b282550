package dev.switchboard.core.config;

/** What it takes to apply a change of one config key to a running gateway (SPEC §8). */
public enum ReloadKind {
    /** Applied live: allowlists, agent settings, {@code gateway.auth.*} rotation. */
    HOT,
    /** Restarts only the channel account(s) concerned. */
    CHANNEL,
    /** Needs a gateway restart: {@code gateway.port}, {@code gateway.bind}, {@code store.url}. */
    RESTART;

    /** Lower-case name, as written in docs and logs. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
