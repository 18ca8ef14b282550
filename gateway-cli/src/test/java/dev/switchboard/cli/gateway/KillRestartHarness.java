package dev.switchboard.cli.gateway;

import dev.switchboard.cli.gateway.CrashPlatform.MessageKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Runs {@code switchboard gateway run --dev} in its own JVM against a {@link CrashPlatform},
 * SIGKILLs it and starts it again on the same state directory, and records for each kill which
 * replies were still undelivered in the store, read while the gateway was down. {@link ReplyAudit}
 * turns those records and the platform's deliveries into the verdict.
 */
final class KillRestartHarness implements AutoCloseable {
    /**
     * One SIGKILL.
     *
     * @param number 1 for the first kill
     * @param undelivered the messages whose reply was in the outbox but not marked delivered when the
     *     process died: the only replies the next process may send although the platform has them
     * @param cursors the channels' stored stream positions (such as Telegram's offset) when the
     *     process died, by {@code <channel>/<account>/<name>}: where its successor must resume
     * @param killedLaunchedAtNanos when the killed process was launched
     * @param relaunchedAtNanos when its successor was launched
     */
    record Kill(
            int number,
            Set<MessageKey> undelivered,
            Map<String, String> cursors,
            long killedLaunchedAtNanos,
            long relaunchedAtNanos) {
        Kill {
            undelivered = Set.copyOf(undelivered);
            cursors = Map.copyOf(cursors);
        }

        /** The platform took it while the killed process was the only one alive. */
        boolean sentByKilledProcess(CrashPlatform.Delivery delivery) {
            return delivery.receivedAtNanos() >= killedLaunchedAtNanos
                    && delivery.receivedAtNanos() < relaunchedAtNanos;
        }
    }

    private final Path home;
    private final Path stateDir;
    private final CrashPlatform platform;
    private final List<Kill> kills = new ArrayList<>();
    private GatewayProcess gateway;
    private long launchedAtNanos;

    private KillRestartHarness(Path home, CrashPlatform platform) {
        this.home = home;
        this.stateDir = home.resolve(".switchboard-dev");
        this.platform = platform;
    }

    /** Writes the platform's gateway config to the dev state directory and starts the first gateway. */
    static KillRestartHarness start(Path home, CrashPlatform platform) throws IOException, InterruptedException {
        KillRestartHarness harness = new KillRestartHarness(home, platform);
        Files.createDirectories(harness.stateDir);
        Files.writeString(
                harness.stateDir.resolve("switchboard.conf"), "agent.provider = \"echo\"\n" + platform.gatewayConfig());
        try {
            harness.launch();
        } catch (IOException | InterruptedException | RuntimeException e) {
            harness.close();
            throw e;
        }
        return harness;
    }

    private void launch() throws IOException, InterruptedException {
        launchedAtNanos = System.nanoTime();
        gateway = GatewayProcess.start(
                home, processLogs(), Map.of(), platform.gatewayClasspath(), "gateway", "run", "--dev", "--port", "0");
        gateway.awaitRunning();
    }

    /** The gateway JVM running now. */
    GatewayProcess gateway() {
        return gateway;
    }

    /** The gateway's state directory ({@code --dev}: {@code <home>/.switchboard-dev}). */
    Path stateDir() {
        return stateDir;
    }

    /** Where every gateway's stdout and stderr are kept, one file each, killed ones included. */
    Path processLogs() {
        return home.resolve("process-logs");
    }

    /** The gateway's SQLite store. */
    Path store() {
        return stateDir.resolve("switchboard.db");
    }

    /**
     * SIGKILLs the gateway, reads the store while it is down, keeps it down for {@code downtime}
     * (messages pile up at the platform meanwhile, as during a real outage) and starts the next one.
     * The downtime also lets a request the dead process had already written reach the platform
     * before the next process exists, so every delivery is attributed to the right process.
     */
    Kill killAndRestart(Duration downtime) throws IOException, InterruptedException {
        gateway.kill9();
        Set<MessageKey> undelivered = undeliveredReplies();
        Map<String, String> cursors = cursors();
        Thread.sleep(downtime.toMillis());
        long killedLaunchedAt = launchedAtNanos;
        launch();
        Kill kill = new Kill(kills.size() + 1, undelivered, cursors, killedLaunchedAt, launchedAtNanos);
        kills.add(kill);
        return kill;
    }

    List<Kill> kills() {
        return List.copyOf(kills);
    }

    /** Outbox replies not marked delivered, read through a read-only connection. */
    Set<MessageKey> undeliveredReplies() {
        return query("SELECT conversation, reply_to FROM outbox WHERE status <> 'delivered' AND reply_to IS NOT NULL");
    }

    /** The channels' stored stream positions by {@code <channel>/<account>/<name>}. */
    Map<String, String> cursors() {
        try (Connection connection = readOnly();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT channel, account, name, cursor_value FROM channel_cursor");
                ResultSet rows = statement.executeQuery()) {
            Map<String, String> cursors = new HashMap<>();
            while (rows.next()) {
                cursors.put(rows.getString(1) + "/" + rows.getString(2) + "/" + rows.getString(3), rows.getString(4));
            }
            return cursors;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + store() + ": " + e.getMessage(), e);
        }
    }

    /** True when the store holds no unanswered message and no undelivered reply. */
    boolean drained() {
        return query("SELECT conversation, platform_message_id FROM inbound WHERE answered_at IS NULL")
                        .isEmpty()
                && undeliveredReplies().isEmpty();
    }

    /** The undelivered outbox rows, one line each, for failure messages. */
    String describeOutbox() {
        StringBuilder out = new StringBuilder("\n--- undelivered outbox rows\n");
        try (Connection connection = readOnly();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id, conversation, reply_to, status, attempts, next_attempt_at, last_error"
                                + " FROM outbox WHERE status <> 'delivered' ORDER BY id");
                ResultSet rows = statement.executeQuery()) {
            long now = System.currentTimeMillis();
            while (rows.next()) {
                out.append("id %d %s#%s %s attempts %d due in %d ms: %s%n"
                        .formatted(
                                rows.getLong(1),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getString(4),
                                rows.getInt(5),
                                rows.getLong(6) - now,
                                rows.getString(7)));
            }
            return out.toString();
        } catch (SQLException e) {
            return out + e.toString();
        }
    }

    private Connection readOnly() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000); // the running gateway may be recovering or checkpointing the WAL
        return config.createConnection("jdbc:sqlite:" + store());
    }

    private Set<MessageKey> query(String sql) {
        try (Connection connection = readOnly();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            Set<MessageKey> keys = new HashSet<>();
            while (rows.next()) {
                keys.add(new MessageKey(rows.getString(1), rows.getString(2)));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + store() + ": " + e.getMessage(), e);
        }
    }

    /** The current gateway's output, for failure messages. */
    String describe() {
        return (gateway == null ? "" : gateway.describe()) + describeOutbox();
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
    }
}
