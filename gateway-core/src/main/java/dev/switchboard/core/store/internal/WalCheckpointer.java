package dev.switchboard.core.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the SQLite write-ahead log into the database file from a connection of its own, off the
 * writer's path. SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages,
 * so every few seconds one commit (and every transaction queued behind it) waited 40–90 ms for the
 * copy and its fsync; a passive checkpoint here runs beside the writer instead of in its way.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);
    static final Duration INTERVAL = Duration.ofMillis(500);
    /**
     * A passive checkpoint never resets the WAL while commits keep arriving, so under sustained load
     * the file could only grow; past this size one RESTART checkpoint (which waits for the writer for
     * a moment) lets the next commit start the WAL over, run right after a passive one has copied
     * nearly everything. Also the writer's journal_size_limit.
     */
    static final long WAL_LIMIT_BYTES = 64L * 1024 * 1024;
    /** The most frames a RESTART may have to copy itself: about 1 MiB of 4 KiB pages. */
    static final long RESTART_WHEN_BEHIND_FRAMES = 256;

    private final Connection connection;
    private final Path wal;
    private final Thread thread;
    private volatile boolean closed;

    private WalCheckpointer(Connection connection, Path database) {
        this.connection = connection;
        this.wal = Path.of(database + "-wal");
        this.thread = new Thread(this::loop, "store-checkpoint");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts checkpointing the database at {@code jdbcUrl} (whose writer set wal_autocheckpoint = 0). */
    static WalCheckpointer start(String jdbcUrl, Path database) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, new Properties());
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + Store.BUSY_TIMEOUT_MILLIS);
        }
        return new WalCheckpointer(connection, database);
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return; // closing
            }
            try (Statement st = connection.createStatement()) {
                long behind = checkpoint(st, "PASSIVE");
                // RESTART holds the writer while it copies what PASSIVE left: only when that is little,
                // so a commit never waits out its busy timeout behind a long copy on a slow disk
                if (walBytes() > WAL_LIMIT_BYTES && behind <= RESTART_WHEN_BEHIND_FRAMES) {
                    checkpoint(st, "RESTART");
                }
            } catch (SQLException e) {
                if (!closed) {
                    log.warn("store checkpoint failed (retried): {}", Store.oneLine(e));
                }
            }
        }
    }

    /** Runs a checkpoint; returns the WAL frames it left uncopied (commits that arrived meanwhile). */
    private static long checkpoint(Statement st, String mode) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            // busy, frames in the WAL, frames copied into the database
            return rs.next() ? Math.max(0, rs.getLong(2) - rs.getLong(3)) : 0;
        }
    }

    private long walBytes() {
        try {
            return Files.size(wal);
        } catch (IOException e) {
            return 0; // no WAL file (yet): nothing to bound
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("store checkpoint connection close failed: {}", Store.oneLine(e));
        }
    }
}
