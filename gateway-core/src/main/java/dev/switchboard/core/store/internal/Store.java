package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.spi.Secret;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's durable store: one SQL database holding accepted inbound messages, the outbox,
 * sessions and their history, channel cursors and idempotency keys (SPEC §6). See {@code docs/store.md}.
 *
 * <p>One connection serves everything, on one thread ({@link GroupCommitter}): every repository method
 * is exactly one transaction, and transactions queued meanwhile commit together. Methods block the
 * calling thread on disk I/O: call them off Undertow's I/O threads.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /** The PostgreSQL advisory lock key migrations hold ("sbschema" in ASCII). */
    private static final long MIGRATION_LOCK = 0x7362736368656d61L;

    private final String url;
    private final StoreDialect dialect;
    private final StoreConnections connections;
    private final Clock clock;
    private final GroupCommitter committer;
    private final Optional<WalCheckpointer> checkpointer;

    private final int schemaVersion;

    private final InboundRepository inbound;
    private final OutboxRepository outbox;
    private final SessionRepository sessions;
    private final CursorRepository cursors;
    private final HeartbeatRepository heartbeats;
    private final IdempotencyRepository idempotency;
    private final LeaseRepository leases;

    private Store(
            String url,
            StoreDialect dialect,
            StoreConnections connections,
            Clock clock,
            int schemaVersion,
            Optional<WalCheckpointer> checkpointer) {
        this.checkpointer = checkpointer;
        this.url = url;
        this.dialect = dialect;
        this.connections = connections;
        this.clock = clock;
        this.schemaVersion = schemaVersion;
        this.committer = new GroupCommitter(url, connections);
        this.inbound = new InboundRepository(this);
        this.outbox = new OutboxRepository(this);
        this.sessions = new SessionRepository(this);
        this.cursors = new CursorRepository(this);
        this.heartbeats = new HeartbeatRepository(this);
        this.idempotency = new IdempotencyRepository(this);
        this.leases = new LeaseRepository(this);
    }

    /** Opens (creating when absent) the store at a JDBC URL, e.g. {@code jdbc:sqlite:/state/switchboard.db}. */
    public static Store open(String jdbcUrl) {
        return open(jdbcUrl, Clock.systemUTC());
    }

    /** As {@link #open(String)}, with the clock that stamps accept, creation and activity times. */
    public static Store open(String jdbcUrl, Clock clock) {
        return open(jdbcUrl, clock, Migrations.BUILT_IN);
    }

    static Store open(String jdbcUrl, Clock clock, Migrations migrations) {
        return open(jdbcUrl, Optional.empty(), Optional.empty(), clock, migrations);
    }

    /**
     * Opens the store at a JDBC URL, {@code jdbc:sqlite:<file>} or {@code
     * jdbc:postgresql://<host>[:<port>]/<database>}, with the credentials a server needs ({@code
     * store.user}, {@code store.password}; SQLite ignores them).
     *
     * @throws SwitchboardException of kind CONFIG for another database, RUNTIME when it cannot be
     *     opened or migrated
     */
    public static Store open(String jdbcUrl, Optional<String> user, Optional<Secret> password, Clock clock) {
        return open(jdbcUrl, user, password, clock, Migrations.BUILT_IN);
    }

    static Store open(
            String jdbcUrl, Optional<String> user, Optional<Secret> password, Clock clock, Migrations migrations) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(migrations, "migrations is null");
        StoreDialect dialect = StoreDialect.of(jdbcUrl);
        Optional<Path> file = dialect == StoreDialect.SQLITE ? sqliteFile(jdbcUrl) : Optional.empty();
        String name = file.map(Path::toString).orElse(StoreDialect.redactedUrl(jdbcUrl));
        file.ifPresent(Store::prepareFile);

        StoreConnections connections;
        try {
            connections = dialect == StoreDialect.SQLITE
                    ? StoreConnections.single(DriverManager.getConnection(jdbcUrl, sqliteWriterProperties()))
                    : StoreConnections.pooled(jdbcUrl, user, password);
        } catch (SQLException e) {
            throw unopenable(name, jdbcUrl, e);
        } catch (RuntimeException e) { // the pool's initialisation failure
            throw unopenable(name, jdbcUrl, e);
        }
        try {
            int version;
            Connection connection = connections.acquire();
            try {
                if (dialect == StoreDialect.SQLITE) {
                    configureSqlite(connection);
                }
                version = migrate(connection, dialect, StoreDialect.redactedUrl(jdbcUrl), migrations, clock);
            } finally {
                connections.release(connection);
            }
            LOG.info("Store {} open at schema version {}", name, version);
            Optional<WalCheckpointer> checkpointer =
                    file.isPresent() ? Optional.of(WalCheckpointer.start(jdbcUrl, file.get())) : Optional.empty();
            return new Store(StoreDialect.redactedUrl(jdbcUrl), dialect, connections, clock, version, checkpointer);
        } catch (SQLException e) {
            closeQuietly(connections);
            throw unopenable(name, jdbcUrl, e);
        } catch (RuntimeException e) {
            closeQuietly(connections);
            throw e;
        }
    }

    public InboundRepository inbound() {
        return inbound;
    }

    public OutboxRepository outbox() {
        return outbox;
    }

    public SessionRepository sessions() {
        return sessions;
    }

    public CursorRepository cursors() {
        return cursors;
    }

    public HeartbeatRepository heartbeats() {
        return heartbeats;
    }

    public IdempotencyRepository idempotency() {
        return idempotency;
    }

    /** Cluster membership and account leases (docs/cluster.md). */
    public LeaseRepository leases() {
        return leases;
    }

    StoreDialect dialect() {
        return dialect;
    }

    /**
     * Runs a trivial query ({@code health}): how long it took, lock wait included.
     *
     * @throws SwitchboardException when the database does not answer
     */
    public Duration ping() {
        long start = System.nanoTime();
        transaction("ping", c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT 1")) {
                return rs.next();
            }
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The JDBC URL this store was opened with, without its query string (where credentials may be). */
    public String url() {
        return url;
    }

    /** Whether the store is a PostgreSQL server (else an SQLite file). */
    public boolean onPostgresql() {
        return dialect == StoreDialect.POSTGRESQL;
    }

    /** The schema version of the database, which equals the newest migration this code knows. */
    public int schemaVersion() {
        return schemaVersion;
    }

    public Clock clock() {
        return clock;
    }

    /** Closes the connection; idempotent. Runs the transactions already queued first. */
    @Override
    public void close() {
        committer.close(); // idempotent: a second close finds nothing to do
        checkpointer.ifPresent(WalCheckpointer::close);
        try {
            connections.close(); // SQLite: the last connection to close checkpoints what is left
        } catch (SQLException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME, "store " + url + ": close failed: " + oneLine(e), e);
        }
    }

    /**
     * Runs repository calls as one transaction: every write in {@code work} is committed together
     * when it returns, or none when it throws. Keep {@code work} short: it holds the store.
     */
    public <T> T atomically(String what, Supplier<T> work) {
        requireNonNull(work, "work is null");
        return transaction(what, c -> work.get());
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} as one transaction: committed when this returns (with whatever else was
     * queued), rolled back alone when it throws. Inside another transaction's work it joins that
     * transaction. SQL failures become a {@link SwitchboardException} naming {@code what}.
     */
    <T> T transaction(String what, Work<T> work) {
        return committer.run(what, work);
    }

    // ---------------------------------------------------------------------------------- opening

    /** The database file of an SQLite URL; empty for in-memory databases. */
    static Optional<Path> sqliteFile(String jdbcUrl) {
        String rest = jdbcUrl.substring(StoreDialect.SQLITE.prefix().length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith(":resource:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(rest).toAbsolutePath());
        } catch (InvalidPathException e) {
            throw SwitchboardException.config("store url " + jdbcUrl + ": " + e.getMessage());
        }
    }

    /**
     * Creates the parent directory (0700) and an empty database file (0600) when absent, so the
     * database never exists with broader permissions; SQLite gives its -wal and -shm files the
     * permissions of the database file.
     */
    private static void prepareFile(Path file) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            Path parent = file.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                if (posix) {
                    Files.createDirectories(
                            parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(parent);
                }
            }
            if (Files.isDirectory(file)) {
                throw new SwitchboardException(
                        SwitchboardException.Kind.RUNTIME,
                        "store " + file + " cannot be opened: it is a directory (expected: a database file)");
            }
            if (!Files.exists(file)) {
                try {
                    if (posix) {
                        Files.createFile(
                                file,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    } else {
                        Files.createFile(file);
                    }
                } catch (FileAlreadyExistsException raced) {
                    // created by someone else meanwhile; open it as it is
                }
            }
        } catch (IOException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "store " + file + " cannot be opened: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * The writer begins every transaction with {@code BEGIN IMMEDIATE}: it takes the write lock
     * before it reads anything. A deferred transaction would hold a read snapshot while it waits for
     * the write lock, and a RESTART checkpoint holds that lock while it waits for readers to finish:
     * each would wait for the other until the busy timeout failed the transaction (SQLITE_BUSY).
     */
    private static Properties sqliteWriterProperties() {
        Properties properties = new Properties();
        properties.setProperty("transaction_mode", "IMMEDIATE");
        return properties;
    }

    /**
     * SQLite-specific settings. These PRAGMAs are the only SQLite-only statements outside the
     * migrations; on PostgreSQL none is needed (see docs/store.md).
     */
    private static void configureSqlite(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            // Reads the header first: a file that is not a database fails here, before anything is written.
            st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                String mode = rs.next() ? rs.getString(1) : "";
                if (!"wal".equals(mode.toLowerCase(Locale.ROOT))) {
                    throw new SQLException("journal_mode is " + mode + " (expected: wal)");
                }
            }
            // WAL + NORMAL: a committed transaction survives a process crash (it is in the WAL file,
            // which the OS holds); only an OS crash or power loss may drop the last few commits.
            st.execute("PRAGMA synchronous = NORMAL");
            st.execute("PRAGMA foreign_keys = ON");
            // checkpoints run beside the writer (WalCheckpointer), not inside its commits
            st.execute("PRAGMA wal_autocheckpoint = 0");
            st.execute("PRAGMA journal_size_limit = " + WalCheckpointer.WAL_LIMIT_BYTES);
        }
    }

    /** Applies the missing migrations, each in its own transaction; returns the resulting version. */
    private static int migrate(
            Connection connection, StoreDialect dialect, String url, Migrations migrations, Clock clock)
            throws SQLException {
        if (dialect == StoreDialect.POSTGRESQL) {
            // replicas starting together: one migrates, the others wait and find it done
            try (Statement st = connection.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            }
            try {
                return migrateLocked(connection, dialect, url, migrations, clock);
            } finally {
                try (Statement st = connection.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
                }
            }
        }
        return migrateLocked(connection, dialect, url, migrations, clock);
    }

    private static int migrateLocked(
            Connection connection, StoreDialect dialect, String url, Migrations migrations, Clock clock)
            throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(dialect.ddl("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
        }
        int current = currentVersion(connection);
        if (current > migrations.latest()) {
            throw SwitchboardException.config("store " + url + " has schema version " + current
                    + ", this gateway knows up to " + migrations.latest() + ": upgrade switchboard");
        }
        for (Migrations.Migration migration : migrations.all()) {
            if (migration.version() <= current) {
                continue;
            }
            connection.setAutoCommit(false);
            try {
                try (Statement st = connection.createStatement()) {
                    for (String sql : Migrations.statements(migration)) {
                        st.execute(dialect.ddl(sql));
                    }
                }
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, migration.version());
                    ps.setString(2, migration.description());
                    ps.setLong(3, clock.millis());
                    ps.executeUpdate();
                }
                connection.commit();
                LOG.info("Store {}: applied migration V{}__{}", url, migration.version(), migration.description());
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                if (e instanceof SQLException sql) {
                    throw new SwitchboardException(
                            SwitchboardException.Kind.RUNTIME,
                            "store " + url + ": migration " + migration.resource() + " failed: " + oneLine(sql),
                            sql);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            current = migration.version();
        }
        return current;
    }

    private static int currentVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** The driver's or the pool's message may quote the URL it was given: it is shown redacted. */
    private static SwitchboardException unopenable(String name, String jdbcUrl, Exception e) {
        String message = oneLine(e).replace(jdbcUrl, StoreDialect.redactedUrl(jdbcUrl));
        return new SwitchboardException(
                SwitchboardException.Kind.RUNTIME, "store " + name + " cannot be opened: " + message, e);
    }

    /** The message of {@code e} on one line, followed by its root cause's when that says more. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + " (" + root.getMessage() + ")";
        }
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static void closeQuietly(StoreConnections connections) {
        try {
            connections.close();
        } catch (SQLException ignored) {
            // already failing; the original error is the one to report
        }
    }
}
