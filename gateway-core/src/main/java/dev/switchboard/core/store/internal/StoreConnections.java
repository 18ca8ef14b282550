package dev.switchboard.core.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.spi.Secret;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Where the store's writer gets the connection for one batch of transactions ({@link
 * GroupCommitter}). SQLite keeps one connection for the life of the store; PostgreSQL borrows one
 * from a pool per batch, so a server restart costs the batches in flight (their callers see the
 * failure and nothing was acknowledged) and the next batch gets a fresh connection.
 */
interface StoreConnections extends AutoCloseable {
    /** A connection in auto-commit mode for one batch. */
    Connection acquire() throws SQLException;

    /** Gives back what {@link #acquire} returned, its transaction ended. */
    void release(Connection connection);

    @Override
    void close() throws SQLException;

    /** The one connection of an SQLite store. */
    static StoreConnections single(Connection connection) {
        return new StoreConnections() {
            @Override
            public Connection acquire() {
                return connection;
            }

            @Override
            public void release(Connection borrowed) {
                // kept for the next batch
            }

            @Override
            public void close() throws SQLException {
                connection.close();
            }
        };
    }

    /**
     * A small pool to a PostgreSQL server. Its waits are short so that an outage fails a batch within
     * seconds instead of holding every caller; the credentials go to the driver, never into the URL
     * that the store shows.
     *
     * @throws com.zaxxer.hikari.pool.HikariPool.PoolInitializationException when the server cannot
     *     be reached or refuses the credentials
     */
    static StoreConnections pooled(String jdbcUrl, Optional<String> user, Optional<Secret> password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        user.ifPresent(config::setUsername);
        password.ifPresent(secret -> config.setPassword(secret.reveal()));
        config.setPoolName("switchboard-store");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setAutoCommit(true);
        // A gateway paused mid-transaction (SIGSTOP, a frozen VM) would hold its row locks as long as it
        // is paused, and the replicas sharing the database would wait on them (docs/cluster.md): the
        // server ends such a session instead, rolling its transaction back. The store's transactions
        // never keep the server waiting between statements for anything near this long.
        config.setConnectionInitSql("SET idle_in_transaction_session_timeout = 2000");
        HikariDataSource pool = new HikariDataSource(config);
        return new StoreConnections() {
            @Override
            public Connection acquire() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void release(Connection borrowed) {
                try {
                    borrowed.close(); // back to the pool
                } catch (SQLException e) {
                    // the pool evicts a connection it cannot take back
                }
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }
}
