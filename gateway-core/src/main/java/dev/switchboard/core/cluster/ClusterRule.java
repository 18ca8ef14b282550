package dev.switchboard.core.cluster;

import dev.switchboard.core.config.GatewayConfig;

/**
 * What {@code gateway.cluster.enabled} needs (docs/cluster.md), checked the same way by {@code
 * config validate}, {@code doctor} and a gateway's start.
 */
public final class ClusterRule {
    public static final String ENABLED_KEY = "gateway.cluster.enabled";
    /** What is wrong with {@value #ENABLED_KEY} on a store that is not PostgreSQL. */
    public static final String NEEDS_POSTGRESQL = "is true but store.url is not a PostgreSQL database"
            + " (expected: store.url = \"jdbc:postgresql://<host>/<database>\": the replicas share it, and an"
            + " SQLite file belongs to one process)";

    private ClusterRule() {}

    /** Whether the configuration asks for replicas on a store they cannot share. */
    public static boolean storeUnfit(GatewayConfig config) {
        return config.gateway().cluster().enabled() && !config.store().url().startsWith("jdbc:postgresql:");
    }
}
