package dev.switchboard.core.owner;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where the owner contract keeps its files: {@code <state>/gateway/owner.lock}, {@code owner.json}
 * and {@code control.token}.
 *
 * @param stateDir the state directory the gateway owns
 */
public record OwnerPaths(Path stateDir) {
    public OwnerPaths {
        requireNonNull(stateDir, "stateDir is null");
        stateDir = stateDir.toAbsolutePath().normalize();
    }

    /** {@code <state>/gateway}, created {@code 0700} by the owner. */
    public Path gatewayDir() {
        return stateDir.resolve("gateway");
    }

    /** The OS file lock held for the owner's whole life. Never deleted, never replaced. */
    public Path lockFile() {
        return gatewayDir().resolve("owner.lock");
    }

    /** The owner record, {@code 0600}, written atomically; it stays after exit. */
    public Path ownerFile() {
        return gatewayDir().resolve("owner.json");
    }

    /**
     * A cluster replica's view of the cluster (docs/cluster.md), {@code 0600}, rewritten every 5 s
     * for {@code gateway status}; deleted on exit.
     */
    public Path clusterFile() {
        return gatewayDir().resolve("cluster.json");
    }

    /** The per-start bearer token for local control, {@code 0600}, deleted on exit. */
    public Path controlTokenFile() {
        return gatewayDir().resolve("control.token");
    }
}
