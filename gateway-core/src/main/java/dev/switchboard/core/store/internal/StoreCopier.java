package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies one store into another, empty one (an operator moving from SQLite to PostgreSQL): every
 * table the reply loop relies on, rows and ids unchanged, in one transaction on the target, so a
 * failed copy leaves the target as empty as it was. The source is only read.
 */
public final class StoreCopier {
    /** Tables in an order that satisfies their foreign keys; {@code schema_version} is the target's own. */
    static final List<String> TABLES = List.of(
            "inbound", "outbox", "chat_session", "session_turn", "channel_cursor", "idempotency", "heartbeat_state");
    /** Tables whose {@code id} is an identity column on PostgreSQL: its sequence continues after the copy. */
    private static final List<String> WITH_ID = List.of("inbound", "outbox", "chat_session", "session_turn");

    private static final int PAGE = 1_000;

    private StoreCopier() {}

    /**
     * Copies {@code from} into {@code to}.
     *
     * @return rows copied per table, in copy order
     * @throws SwitchboardException of kind CONFIG when {@code to} already holds rows, naming the table
     */
    public static Map<String, Long> copy(Store from, Store to) {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        return to.transaction("copy from " + from.url(), target -> {
            for (String table : TABLES) {
                long rows = count(target, table);
                if (rows > 0) {
                    throw SwitchboardException.config("store " + to.url() + " is not empty (" + rows + " rows in "
                            + table + "): store migrate copies into an empty database only");
                }
            }
            Map<String, Long> copied = new LinkedHashMap<>();
            for (String table : TABLES) {
                copied.put(table, copyTable(from, table, target));
            }
            if (to.onPostgresql()) {
                for (String table : WITH_ID) {
                    try (Statement st = target.createStatement()) {
                        st.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'),"
                                + " COALESCE((SELECT MAX(id) FROM " + table + "), 0) + 1, false)");
                    }
                }
            }
            return copied;
        });
    }

    private static long copyTable(Store from, String table, Connection target) throws SQLException {
        long copied = 0;
        int offset = 0;
        while (true) {
            int at = offset;
            Page page = from.transaction("read " + table, source -> read(source, table, at));
            if (page.rows().isEmpty()) {
                return copied;
            }
            String insert = "INSERT INTO " + table + " (" + String.join(", ", page.columns()) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(page.columns().size(), "?")) + ")";
            try (PreparedStatement ps = target.prepareStatement(insert)) {
                for (Object[] row : page.rows()) {
                    for (int i = 0; i < row.length; i++) {
                        ps.setObject(i + 1, row[i], page.types().get(i));
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            copied += page.rows().size();
            offset += page.rows().size();
        }
    }

    /** One page of a table's rows, in a stable order, with the columns' names and JDBC types. */
    private record Page(List<String> columns, List<Integer> types, List<Object[]> rows) {}

    private static Page read(Connection source, String table, int offset) throws SQLException {
        String order = WITH_ID.contains(table)
                ? "id"
                : table.equals("idempotency")
                        ? "idem_key"
                        : table.equals("heartbeat_state") ? "name" : "channel, account, name";
        try (PreparedStatement ps =
                source.prepareStatement("SELECT * FROM " + table + " ORDER BY " + order + " LIMIT ? OFFSET ?")) {
            ps.setInt(1, PAGE);
            ps.setInt(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                int[] types = new int[meta.getColumnCount()];
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(meta.getColumnName(i));
                    types[i - 1] = integral(meta.getColumnType(i)) ? Types.BIGINT : Types.VARCHAR;
                }
                List<Object[]> rows = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        // the schema has only 64-bit integers and text; SQLite hands out either width
                        Object value = types[i] == Types.BIGINT ? (Object) rs.getLong(i + 1) : rs.getString(i + 1);
                        row[i] = rs.wasNull() ? null : value;
                    }
                    rows.add(row);
                }
                return new Page(columns, Arrays.stream(types).boxed().toList(), rows);
            }
        }
    }

    private static boolean integral(int type) {
        return type == Types.INTEGER || type == Types.BIGINT || type == Types.SMALLINT || type == Types.TINYINT;
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
