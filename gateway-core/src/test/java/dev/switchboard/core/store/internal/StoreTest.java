package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.inbound;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class StoreTest extends StoreTestBase {
    private static final Migrations ONE_TWO =
            new Migrations(List.of("db/test-migration/V1__one.sql", "db/test-migration/V2__two.sql"));
    private static final Migrations ONE_TWO_THREE = new Migrations(List.of(
            "db/test-migration/V1__one.sql", "db/test-migration/V2__two.sql", "db/test-migration/V3__three.sql"));

    @Test
    void builtInMigrationsApplyOnceAndReopeningChangesNothing() throws SQLException {
        String url = url(dir);
        try (Store store = Store.open(url, new ManualClock(T0))) {
            assertThat(store.schemaVersion()).isEqualTo(4);
            store.inbound().accept(inbound("a", "1"), "telegram:a:chat-1");
        }
        try (Store store = Store.open(url, new ManualClock(T0.plusSeconds(60)))) {
            assertThat(store.schemaVersion()).isEqualTo(4);
            assertThat(store.inbound().find(1)).isPresent();
        }
        assertThat(query(url, "SELECT version, description, applied_at FROM schema_version"))
                .containsExactly(
                        "1|initial|" + T0.toEpochMilli(),
                        "2|retention_and_run_lookup|" + T0.toEpochMilli(),
                        "3|cluster|" + T0.toEpochMilli(),
                        "4|agent_heartbeat|" + T0.toEpochMilli());
    }

    @Test
    void migrationsApplyInOrderAndOnlyTheMissingOnes() throws SQLException {
        String url = url(dir);
        Store.open(url, new ManualClock(T0), new Migrations(List.of("db/test-migration/V1__one.sql")))
                .close();
        try (Store store = Store.open(url, new ManualClock(T0), ONE_TWO_THREE)) {
            assertThat(store.schemaVersion()).isEqualTo(3);
        }
        // V1's insert ran once, V2's after it
        assertThat(query(url, "SELECT id, name FROM t_one ORDER BY id")).containsExactly("1|from v1", "2|from v2");
        assertThat(query(url, "SELECT version FROM schema_version ORDER BY version"))
                .containsExactly("1", "2", "3");
    }

    @Test
    void aFailingMigrationLeavesTheDatabaseAtThePreviousVersion() throws SQLException {
        String url = url(dir);
        Migrations broken = new Migrations(List.of("db/test-migration/V1__one.sql", "db/test-broken/V2__broken.sql"));

        assertThatThrownBy(() -> Store.open(url, new ManualClock(T0), broken))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("migration db/test-broken/V2__broken.sql failed")
                .hasMessageContaining("no_such_table");

        assertThat(query(url, "SELECT version FROM schema_version")).containsExactly("1");
        assertThat(query(url, "SELECT name FROM t_one ORDER BY id")).containsExactly("from v1");
        assertThat(query(
                        url,
                        StoreFixtures.onPostgresql()
                                ? "SELECT tablename FROM pg_tables WHERE tablename = 't_broken'"
                                : "SELECT name FROM sqlite_master WHERE name = 't_broken'"))
                .isEmpty();
    }

    @Test
    void aDatabaseNewerThanTheCodeIsRefused() {
        String url = url(dir);
        Store.open(url, new ManualClock(T0), ONE_TWO_THREE).close();

        assertThatThrownBy(() -> Store.open(url, new ManualClock(T0), ONE_TWO))
                .isInstanceOf(SwitchboardException.class)
                .hasMessage("store " + StoreDialect.redactedUrl(url)
                        + " has schema version 3, this gateway knows up to 2: upgrade switchboard")
                .extracting(e -> ((SwitchboardException) e).kind())
                .isEqualTo(SwitchboardException.Kind.CONFIG);
    }

    @Test
    @Tag(StoreFixtures.SQLITE_ONLY)
    void theDirectoryIsCreated0700AndTheDatabase0600() throws Exception {
        Path file = dir.resolve("state").resolve("switchboard.db");
        try (Store store = Store.open(url(dir))) {
            store.cursors().put("telegram", "a", "offset", "1"); // a write creates the -wal file
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            Path wal = file.resolveSibling("switchboard.db-wal");
            assertThat(wal).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    @Tag(StoreFixtures.SQLITE_ONLY)
    void theStoreRunsInWalModeWithForeignKeys() throws SQLException {
        String url = url(dir);
        Store.open(url).close();
        // journal_mode=WAL is persistent in the file; a fresh connection sees it
        assertThat(query(url, "PRAGMA journal_mode")).containsExactly("wal");
        try (Store store = Store.open(url)) {
            assertThatThrownBy(() -> store.sessions().appendTurn(999, Turn.Role.USER, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no session with id 999");
        }
    }

    @Test
    @Tag(StoreFixtures.SQLITE_ONLY)
    void aFileThatIsNotADatabaseGivesOneLineNamingIt() throws Exception {
        Path file = dir.resolve("switchboard.db");
        Files.writeString(file, "this is not a database\n".repeat(100), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Store.open("jdbc:sqlite:" + file))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageStartingWith("store " + file + " cannot be opened: ")
                .hasMessageContaining("not a database")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    @Tag(StoreFixtures.SQLITE_ONLY)
    void aDirectoryAtThePathIsRefusedNamingIt() throws Exception {
        Path file = Files.createDirectories(dir.resolve("switchboard.db"));

        assertThatThrownBy(() -> Store.open("jdbc:sqlite:" + file))
                .isInstanceOf(SwitchboardException.class)
                .hasMessage("store " + file + " cannot be opened: it is a directory (expected: a database file)");
    }

    @Test
    void anotherDatabaseIsAConfigError() {
        assertThatThrownBy(() -> Store.open("jdbc:mysql://db/switchboard"))
                .isInstanceOf(SwitchboardException.class)
                .hasMessage("store url jdbc:mysql://db/switchboard: unsupported database (expected:"
                        + " jdbc:sqlite:<file> or jdbc:postgresql://<host>[:<port>]/<database>)");
    }

    @Test
    void closeIsIdempotentAndAClosedStoreRefusesWork() {
        Store store = Store.open(url(dir));
        store.close();
        store.close();

        assertThatThrownBy(() -> store.cursors().get("telegram", "a", "offset"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void migrationNamesMustCountFromOne() {
        assertThatThrownBy(() -> new Migrations(List.of("db/test-migration/V2__two.sql")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("migration db/test-migration/V2__two.sql: version 2 (expected: 1)");
    }

    /** Rows of a query on a fresh connection, columns joined with '|'. */
    static List<String> query(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }
}
