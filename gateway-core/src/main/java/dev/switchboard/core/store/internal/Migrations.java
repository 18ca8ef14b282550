package dev.switchboard.core.store.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ordered schema migrations, read from classpath resources named {@code V<n>__<description>.sql}.
 * Versions run 1, 2, 3... without gaps; the highest is the version this code knows.
 */
final class Migrations {
    private static final Pattern NAME = Pattern.compile("(?:.*/)?V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    /** The migrations of this build. Append a resource here when adding {@code V<n+1>__...sql}. */
    static final Migrations BUILT_IN = new Migrations(List.of(
            "db/migration/V1__initial.sql",
            "db/migration/V2__retention_and_run_lookup.sql",
            "db/migration/V3__cluster.sql",
            "db/migration/V4__agent_heartbeat.sql"));

    /** One migration script. */
    record Migration(int version, String description, String resource) {}

    private final List<Migration> migrations;

    Migrations(List<String> resources) {
        List<Migration> list = new ArrayList<>();
        for (String resource : resources) {
            Matcher m = NAME.matcher(resource);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "migration " + resource + ": bad name (expected: V<n>__<description>.sql)");
            }
            int version = Integer.parseInt(m.group(1));
            if (version != list.size() + 1) {
                throw new IllegalArgumentException(
                        "migration " + resource + ": version " + version + " (expected: " + (list.size() + 1) + ")");
            }
            list.add(new Migration(version, m.group(2), resource));
        }
        this.migrations = List.copyOf(list);
    }

    List<Migration> all() {
        return migrations;
    }

    int latest() {
        return migrations.size();
    }

    /**
     * The statements of a migration: the script without {@code --} comment lines, split at each
     * {@code ;} that ends a line. Scripts keep {@code ;} out of literals, so no SQL parser is needed.
     */
    static List<String> statements(Migration migration) {
        requireNonNull(migration, "migration is null");
        String script;
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(migration.resource())) {
            if (in == null) {
                throw new IllegalStateException("migration resource " + migration.resource() + " is missing");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading migration " + migration.resource(), e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                statements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return List.copyOf(statements);
    }
}
