package dev.switchboard.core.store;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.core.store.internal.StoreCopier;
import dev.switchboard.spi.Secret;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * {@code switchboard store migrate}: copies a gateway's store into another database, e.g. its SQLite
 * file into PostgreSQL when one machine is no longer enough. The target is migrated to the current
 * schema and must hold no rows; the copy is one transaction there, and the source is only read.
 * Run it with the gateway stopped, so nothing is accepted meanwhile.
 */
public final class StoreMigration {
    private StoreMigration() {}

    /** A store's JDBC URL and the credentials a server needs. */
    public record Location(String url, Optional<String> user, Optional<Secret> password) {}

    /**
     * Copies {@code from} into {@code to}.
     *
     * @return rows copied per table, in copy order
     * @throws SwitchboardException of kind CONFIG when the target is not empty or not a store URL,
     *     RUNTIME when either database cannot be opened or the copy fails (the target then holds none of it)
     */
    public static Map<String, Long> copy(Location from, Location to) {
        try (Store source = Store.open(from.url(), from.user(), from.password(), Clock.systemUTC());
                Store target = Store.open(to.url(), to.user(), to.password(), Clock.systemUTC())) {
            return StoreCopier.copy(source, target);
        }
    }
}
