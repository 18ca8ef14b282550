package dev.switchboard.core.store;

import dev.switchboard.core.store.internal.StoreDialect;
import java.util.Optional;

/**
 * What the gateway says about a store URL ({@code store.url}, {@code store migrate --to}). Through the
 * dialect, not the store: the store's class starts logging, which {@code config validate} does not need.
 */
public final class StoreUrls {
    private StoreUrls() {}

    /**
     * A store URL as the gateway shows it: without its query string and without a {@code user:password@}
     * part, where credentials could be written.
     */
    public static String redacted(String jdbcUrl) {
        return StoreDialect.redactedUrl(jdbcUrl);
    }

    /**
     * Why the store cannot open {@code jdbcUrl} (another database, credentials in a PostgreSQL URL, no
     * database after the host), in words without a secret; empty when it can try. {@code config
     * validate} and the store's start ask the same question.
     */
    public static Optional<String> problem(String jdbcUrl) {
        return StoreDialect.problem(jdbcUrl);
    }
}
