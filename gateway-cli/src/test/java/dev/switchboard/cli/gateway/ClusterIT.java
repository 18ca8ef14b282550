package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.postgres.TestPostgres;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgUser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateway replicas as processes on one real PostgreSQL, with nine bots on the fake Telegram, a
 * Feishu app and a WeCom bot (docs/cluster.md "How it is tested"). While messages keep arriving on
 * every account: the accounts
 * spread over the replicas; SIGKILL of a replica moves its accounts to the others; a replica
 * paused past its leases (SIGSTOP, then SIGCONT) writes nothing under its old fencing tokens; the
 * database restarts; a replica stopped with {@code gateway stop} hands its accounts over at once.
 * In the end every message is answered, and only a send in flight at a fault may arrive twice.
 */
class ClusterIT {
    private static final int ACCOUNTS = 9;
    private static final Duration TTL = Duration.ofSeconds(6);
    private static final Duration MESSAGE_INTERVAL = Duration.ofMillis(40);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path home;

    private final FakeTelegram telegram = FakeTelegram.start();
    // one account each on the other platforms' fakes, leased like the bots
    private final FakeFeishuPlatform feishu = new FakeFeishuPlatform();
    private final FakeWeComPlatform wecom = new FakeWeComPlatform();
    private final Map<String, FakeBot> bots = new LinkedHashMap<>();
    private final Map<String, TgChat> chats = new HashMap<>();
    private final Map<String, TgUser> users = new HashMap<>();
    private final List<Replica> replicas = new ArrayList<>();
    private String storeUrl = "";

    /** One replica: its id, process and state directory. */
    private record Replica(String id, GatewayProcess process, int port) {}

    @Test
    void accountsSpreadFailOverAndNoMessageIsLost() throws Exception {
        storeUrl = TestPostgres.get().url(home.resolve("db"));
        for (int i = 1; i <= ACCOUNTS; i++) {
            String account = "bot" + i;
            FakeBot bot = telegram.addBot(FakeTelegram.newToken(7_000_000L + i), "cluster_bot_" + i);
            bots.put(account, bot);
            TgUser user = bot.user(5000 + i, "user" + i);
            users.put(account, user);
            chats.put(account, bot.privateChat(user));
        }
        try {
            for (String id : List.of("r1", "r2", "r3")) {
                replicas.add(start(id));
            }
            for (Replica replica : replicas) {
                replica.process().awaitRunning();
            }
            // 1. the accounts spread: each replica holds at least one, each account one live owner
            await("every account held, every replica holding one", () -> {
                Map<String, Lease> leases = leases();
                return leases.size() == ACCOUNTS + 2
                        && leases.values().stream().allMatch(Lease::held)
                        && replicas.stream().allMatch(r -> leases.values().stream()
                                .anyMatch(l -> l.owner().equals(r.id())));
            });
            System.out.println("leases at start: " + leases());
            // one control plane: any replica shows the cluster and probes every account, its own and
            // (forwarded to their owners) the others'
            LocalCli cli = new LocalCli(home);
            String r1 = stateDir("r1").toString();
            await("gateway status --json shows the cluster", () -> {
                LocalCli.Run status = cli.run("--state-dir", r1, "gateway", "status", "--json");
                return Pattern.compile("\"cluster\"\\s*:").matcher(status.out()).find()
                        && Pattern.compile("\"owner\"\\s*:\\s*\"r2\"")
                                .matcher(status.out())
                                .find();
            });
            LocalCli.Run probe = cli.run("--state-dir", r1, "channels", "status", "--probe", "--json");
            assertThat(probe.code()).as(probe.out() + probe.err()).isZero();
            for (String account : bots.keySet()) {
                assertThat(probe.out()).as(probe.out()).containsPattern("\"account\"\\s*:\\s*\"" + account + "\"");
            }
            assertThat(probe.out()).doesNotContain("unreachable").doesNotContain("cluster-it-shared-token");

            try (MessageFlow flow = new MessageFlow().start()) {
                // 2. SIGKILL the owner of bot1: its accounts move within the TTL and a start
                Lease before = leases().get("bot1");
                Replica killed = replica(before.owner());
                long killedAt = System.nanoTime();
                killed.process().kill9();
                await("bot1 taken over after the SIGKILL", () -> {
                    Lease now = leases().get("bot1");
                    return now.held() && !now.owner().equals(killed.id()) && now.token() > before.token();
                });
                Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
                System.out.println("failover of bot1 after SIGKILL: " + failover.toMillis() + " ms");
                await("every account held by the survivors", () -> leases().values().stream()
                        .allMatch(l -> l.held() && !l.owner().equals(killed.id())));
                replicas.set(replicas.indexOf(killed), start(killed.id()));
                replica(killed.id()).process().awaitRunning();

                // 3. SIGSTOP a replica past its leases, SIGCONT it: nothing written under the old tokens
                await("the restarted replica holds an account again", () -> leases().values().stream()
                        .anyMatch(l -> l.held() && l.owner().equals(killed.id())));
                Replica paused = replica(leases().get("bot2").owner());
                Map<String, Lease> heldByPaused = leases().entrySet().stream()
                        .filter(e -> e.getValue().owner().equals(paused.id()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                signal(paused, "STOP");
                await("the paused replica's accounts taken over", () -> {
                    Map<String, Lease> now = leases();
                    return heldByPaused.keySet().stream()
                            .allMatch(a ->
                                    now.get(a).held() && !now.get(a).owner().equals(paused.id()));
                });
                long takenOverAt = dbNow();
                signal(paused, "CONT");
                paused.process().awaitStderr(Pattern.compile("lapsed without renewal|was taken by another replica"));
                Thread.sleep(TTL.toMillis()); // its threads run on: give a late write every chance
                List<String> lateWrites = writesUnder(heldByPaused, takenOverAt);
                assertThat(lateWrites)
                        .as("writes under a fencing token after the lease was taken over")
                        .isEmpty();

                // 4. the database restarts mid-stream
                TestPostgres.get().restart();
                Thread.sleep(2_000);

                // 5. a graceful stop hands the accounts over before the lease TTL
                Replica stopping = replica(leases().get("bot3").owner());
                LocalCli.Run stop = new LocalCli(home)
                        .run(
                                "--config",
                                config(stopping.id()).toString(),
                                "--state-dir",
                                stateDir(stopping.id()).toString(),
                                "gateway",
                                "stop");
                assertThat(stop.code()).as(stop.out() + stop.err()).isZero();
                long stoppedAt = System.nanoTime();
                await("bot3 handed over after gateway stop", () -> {
                    Lease now = leases().get("bot3");
                    return now.held() && !now.owner().equals(stopping.id());
                });
                System.out.println("handover of bot3 after gateway stop: "
                        + Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis() + " ms");
                flow.stop();

                // every message answered; only a send in flight at a fault twice
                await("every message answered", () -> flow.unanswered().isEmpty());
                Map<String, Integer> duplicates = flow.duplicates();
                System.out.println(flow.sent.size() + " messages, duplicates (in flight at a fault): " + duplicates);
                assertThat(duplicates.values()).allMatch(count -> count == 2);
                assertThat(duplicates).hasSizeLessThanOrEqualTo(12); // at most the sends in flight at 3 faults
            }
        } catch (Throwable e) {
            StringBuilder logs = new StringBuilder();
            for (Replica replica : replicas) {
                logs.append("\n===== ")
                        .append(replica.id())
                        .append(replica.process().describe());
            }
            throw new AssertionError(e.getMessage() + logs, e);
        } finally {
            replicas.forEach(r -> r.process().close());
            telegram.close();
            feishu.close();
            wecom.close();
        }
    }

    // ---------------------------------------------------------------------------------- replicas

    private Replica start(String id) throws IOException {
        int port = freePort();
        Files.createDirectories(stateDir(id));
        StringBuilder config = new StringBuilder();
        config.append("agent.provider = \"echo\"\n")
                .append("store.url = \"")
                .append(storeUrl)
                .append("\"\n")
                .append("gateway.auth.token = \"cluster-it-shared-token\"\n")
                .append("gateway.cluster { enabled = true, replica_id = \"")
                .append(id)
                .append("\", lease_ttl_ms = ")
                .append(TTL.toMillis())
                .append(" }\n");
        bots.forEach((account, bot) -> config.append("telegram.accounts.")
                .append(account)
                .append(" { bot_token = \"")
                .append(bot.token())
                .append("\", api_base_url = \"")
                .append(telegram.apiBaseUrl())
                .append("\", allowed_chat_ids = [")
                .append(chats.get(account).id())
                .append("] }\n"));
        config.append(feishu.gatewayConfig()).append(wecom.gatewayConfig());
        Files.writeString(config(id), config.toString());
        GatewayProcess process = GatewayProcess.start(
                home,
                home.resolve("process-logs"),
                "--config",
                config(id).toString(),
                "--state-dir",
                stateDir(id).toString(),
                "gateway",
                "run",
                "--port",
                Integer.toString(port));
        return new Replica(id, process, port);
    }

    private Path config(String id) {
        return home.resolve(id + ".conf");
    }

    private Path stateDir(String id) {
        return home.resolve("state-" + id);
    }

    private Replica replica(String id) {
        return replicas.stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no replica " + id));
    }

    private static void signal(Replica replica, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder(
                        "kill", "-" + signal, Long.toString(replica.process().pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // ---------------------------------------------------------------------------------- the store

    /** One account's lease as the database has it; {@code held}: an owner and not expired. */
    private record Lease(String owner, long token, boolean held) {}

    private Connection db() throws SQLException {
        return DriverManager.getConnection(storeUrl);
    }

    private static final String DB_NOW = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    private Map<String, Lease> leases() {
        Map<String, Lease> leases = new TreeMap<>();
        try (Connection c = db();
                PreparedStatement ps = c.prepareStatement("SELECT account, COALESCE(owner, ''), token,"
                        + " owner IS NOT NULL AND expires_at > " + DB_NOW + " FROM account_lease");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                leases.put(rs.getString(1), new Lease(rs.getString(2), rs.getLong(3), rs.getBoolean(4)));
            }
        } catch (SQLException e) {
            return Map.of(); // the database restarting, or not created yet: ask again
        }
        return leases;
    }

    private long dbNow() throws SQLException {
        try (Connection c = db();
                PreparedStatement ps = c.prepareStatement("SELECT " + DB_NOW);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Cursor writes and deliveries made after {@code after} under the fencing tokens of {@code old}. */
    private List<String> writesUnder(Map<String, Lease> old, long after) throws SQLException {
        List<String> writes = new ArrayList<>();
        try (Connection c = db()) {
            for (Map.Entry<String, Lease> lease : old.entrySet()) {
                String tag = lease.getValue().owner() + "#" + lease.getValue().token();
                try (PreparedStatement ps = c.prepareStatement("SELECT 'cursor ' || name FROM channel_cursor"
                        + " WHERE account = ? AND written_by = ? AND updated_at > ?"
                        + " UNION ALL SELECT 'outbox row ' || id FROM outbox"
                        + " WHERE account = ? AND delivered_by = ? AND finished_at > ?")) {
                    ps.setString(1, lease.getKey());
                    ps.setString(2, tag);
                    ps.setLong(3, after);
                    ps.setString(4, lease.getKey());
                    ps.setString(5, tag);
                    ps.setLong(6, after);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            writes.add(lease.getKey() + ": " + rs.getString(1) + " by " + tag);
                        }
                    }
                }
            }
        }
        return writes;
    }

    // ---------------------------------------------------------------------------------- messages

    /** A message to a random bot every {@link #MESSAGE_INTERVAL}, numbered, until stopped. */
    private final class MessageFlow implements AutoCloseable {
        final List<String[]> sent = new CopyOnWriteArrayList<>(); // {account, text}
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "cluster-it-messages");

        MessageFlow start() {
            thread.start();
            return this;
        }

        private void run() {
            List<String> accounts = List.copyOf(bots.keySet());
            int n = 0;
            while (running.get()) {
                int slot = n % (accounts.size() + 2);
                String text = "m-" + n;
                if (slot < accounts.size()) {
                    String account = accounts.get(slot);
                    bots.get(account).userSays(chats.get(account), users.get(account), text);
                    sent.add(new String[] {account, text});
                } else if (slot == accounts.size()) {
                    feishu.inject("c" + (n % 4), text);
                    sent.add(new String[] {FakeFeishuPlatform.ACCOUNT, text});
                } else {
                    wecom.inject("c" + (n % 4), text);
                    sent.add(new String[] {FakeWeComPlatform.ACCOUNT, text});
                }
                n++;
                try {
                    Thread.sleep(MESSAGE_INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        /** How often each sent text came back, by text. */
        private Map<String, Integer> replies() {
            Map<String, Integer> counts = new HashMap<>();
            for (FakeBot bot : bots.values()) {
                for (SentMessage reply : bot.sent()) {
                    counts.merge(reply.text(), 1, Integer::sum);
                }
            }
            // Feishu's fake keeps one reply per uuid, as the platform does: a resend is no duplicate there
            for (CrashPlatform.Delivery reply : feishu.deliveries()) {
                counts.merge(reply.text(), 1, Integer::sum);
            }
            for (CrashPlatform.Delivery reply : wecom.deliveries()) {
                counts.merge(reply.text(), 1, Integer::sum);
            }
            return counts;
        }

        List<String> unanswered() {
            Map<String, Integer> replies = replies();
            return sent.stream()
                    .map(m -> m[1])
                    .filter(text -> !replies.containsKey(text))
                    .toList();
        }

        Map<String, Integer> duplicates() {
            Map<String, Integer> duplicates = new TreeMap<>();
            replies().forEach((text, count) -> {
                if (count > 1) {
                    duplicates.put(text, count);
                }
            });
            return duplicates;
        }

        @Override
        public void close() {
            running.set(false);
            thread.interrupt();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
    }
}
