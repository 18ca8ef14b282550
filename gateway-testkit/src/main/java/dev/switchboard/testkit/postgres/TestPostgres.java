package dev.switchboard.testkit.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A private PostgreSQL server for tests: Debian's server binaries, a throwaway cluster in
 * a temp dir with trust auth on 127.0.0.1 and a free port, started once per test JVM and stopped at
 * its exit. Each test directory gets its own database, so a test that reopens its store finds its
 * data and no two tests share one. Run as root (CI), the server runs as the {@code postgres} user,
 * which Debian's package creates: PostgreSQL refuses to run as root.
 */
public final class TestPostgres {
    private static final String USER = "postgres";
    private static volatile @Nullable TestPostgres instance;

    private final Path bin;
    private final Path data;
    private final int port;
    private final boolean asRoot;
    private final Map<Path, String> databases = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    private TestPostgres(Path bin, Path data, int port, boolean asRoot) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.asRoot = asRoot;
    }

    /** The server of this JVM, started on first use. */
    public static TestPostgres get() {
        TestPostgres server = instance;
        if (server == null) {
            synchronized (TestPostgres.class) {
                server = instance;
                if (server == null) {
                    server = start();
                    instance = server;
                }
            }
        }
        return server;
    }

    /** The JDBC URL of the database of {@code dir}, created on first use. */
    public String url(Path dir) {
        String name =
                databases.computeIfAbsent(dir.toAbsolutePath(), d -> create("sb_test_" + counter.incrementAndGet()));
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    /** Stops the server at once (like a crash) and starts it again on the same port and data. */
    public void restart() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        run(startCommand());
    }

    private String create(String name) {
        try (Connection c = DriverManager.getConnection(url("postgres"));
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
            return name;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
    }

    private static TestPostgres start() {
        Path bin = binaries();
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("switchboard-pg");
            Path data = dir.resolve("data");
            if (asRoot) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                UserPrincipal postgres =
                        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
                Files.setOwner(dir, postgres);
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            TestPostgres server = new TestPostgres(bin, data, port, asRoot);
            server.run(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    data.toString(),
                    "-A",
                    "trust",
                    "-U",
                    USER,
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "--no-instructions"));
            server.run(server.startCommand());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(dir), "test-postgres-stop"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test PostgreSQL server: " + e.getMessage(), e);
        }
    }

    private List<String> startCommand() {
        return List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                data.resolveSibling("server.log").toString(),
                "-w",
                "-t",
                "30",
                "-o",
                "-p " + port + " -k " + data.getParent() + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c max_connections=200",
                "start");
    }

    private void stop(Path dir) {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind
            }
        }
    }

    /** Runs one of the server's tools, as the postgres user when the tests run as root. */
    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", full), e);
        }
    }

    /** Debian's server binaries (the newest installed version), or {@code SWITCHBOARD_PG_BIN}. */
    private static Path binaries() {
        String configured = System.getenv("SWITCHBOARD_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(
                            version -> Files.isExecutable(version.resolve("bin").resolve("initdb")))
                    .max(Comparator.comparingInt(
                            version -> Integer.parseInt(version.getFileName().toString())))
                    .map(version -> version.resolve("bin"))
                    .orElseThrow(TestPostgres::missing);
        } catch (IOException | NumberFormatException e) {
            throw missing();
        }
    }

    private static IllegalStateException missing() {
        return new IllegalStateException("the PostgreSQL tests need PostgreSQL's server binaries: install"
                + " Debian's postgresql package (apt-get install postgresql; .ci/run does) or set SWITCHBOARD_PG_BIN");
    }
}
