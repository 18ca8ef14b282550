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
            // right after the start, leases still move between the replicas: an account that moves while
            // it is asked is named in "unreachable"; once they settle, every account answers
            LocalCli.Run[] probe = new LocalCli.Run[1];
            await("channels status --probe from one replica lists every account", () -> {
                probe[0] = cli.run("--state-dir", r1, "channels", "status", "--probe", "--json");
                return probe[0].code() == 0
                        && !probe[0].out().contains("unreachable")
                        && bots.keySet().stream()
                                .allMatch(account -> Pattern.compile("\"account\"\\s*:\\s*\"" + account + "\"")
                                        .matcher(probe[0].out())
                                        .find());
            });
            assertThat(probe[0].out() + probe[0].err()).doesNotContain("cluster-it-shared-token");

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
                try {
                    await("every message answered", () -> flow.unanswered().isEmpty());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + ": " + describe(flow.unanswered()), e);
                }
                Map<String, List<String>> duplicates = flow.duplicates();
                System.out.println(flow.sent.size() + " messages, duplicates (in flight at a fault): " + duplicates
                        + ", answered with an apology (a turn failed at the store): " + flow.notEchoed());
                assertThat(duplicates.values()).allMatch(replies -> replies.size() == 2);
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

    /** Where unanswered messages are in the store: accepted (and by whom answered), their outbox row. */
    private String describe(List<String> texts) {
        StringBuilder out = new StringBuilder();
        try (Connection c = db()) {
            for (String text : texts.subList(0, Math.min(texts.size(), 10))) {
                out.append("\n  ").append(text).append(": ");
                try (PreparedStatement ps = c.prepareStatement("SELECT i.account, i.accepted_at, i.answered_at,"
                        + " o.status, o.attempts, o.last_error FROM inbound i LEFT JOIN outbox o ON o.inbound_id = i.id"
                        + " WHERE i.text = ?")) {
                    ps.setString(1, text);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            out.append("never accepted");
                        } else {
                            out.append(rs.getString(1))
                                    .append(" accepted ")
                                    .append(rs.getLong(2))
                                    .append(" answered ")
                                    .append(rs.getObject(3))
                                    .append(" outbox ")
                                    .append(rs.getString(4))
                                    .append(" attempts ")
                                    .append(rs.getObject(5))
                                    .append(" error ")
                                    .append(rs.getString(6));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            out.append(" (store unreadable: ").append(e.getMessage()).append(')');
        }
        return texts.size() + " unanswered" + out;
    }

    // ---------------------------------------------------------------------------------- messages

    /**
     * A message to the next account every {@link #MESSAGE_INTERVAL}, numbered, until stopped. A
     * message counts as answered by any reply to it (its echo, or the short apology a turn that failed
     * at the store gets), matched by the platform's reply-to id.
     */
    private final class MessageFlow implements AutoCloseable {
        /** Each message's key ({@code <account>/<platform message id>}) and text, in sending order. */
        final Map<String, String> sent = new java.util.concurrent.ConcurrentHashMap<>();

        private final List<String> order = new CopyOnWriteArrayList<>();
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
                String key;
                if (slot < accounts.size()) {
                    String account = accounts.get(slot);
                    key = account + "/"
                            + bots.get(account)
                                    .userSays(chats.get(account), users.get(account), text)
                                    .messageId();
                } else if (slot == accounts.size()) {
                    key = FakeFeishuPlatform.ACCOUNT + "/"
                            + feishu.inject("c" + (n % 4), text).messageId();
                } else {
                    key = FakeWeComPlatform.ACCOUNT + "/"
                            + wecom.inject("c" + (n % 4), text).messageId();
                }
                sent.put(key, text);
                order.add(key);
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

        /** Replies by the key of the message they answer, with their texts. */
        private Map<String, List<String>> replies() {
            Map<String, List<String>> replies = new HashMap<>();
            bots.forEach((account, bot) -> {
                for (SentMessage reply : bot.sent()) {
                    reply.replyToMessageId()
                            .ifPresent(id -> replies.computeIfAbsent(account + "/" + id, k -> new ArrayList<>())
                                    .add(reply.text()));
                }
            });
            // Feishu's fake keeps one reply per uuid, as the platform does: a resend is no duplicate there
            for (CrashPlatform.Delivery reply : feishu.deliveries()) {
                replies.computeIfAbsent(
                                FakeFeishuPlatform.ACCOUNT + "/"
                                        + reply.replyTo().messageId(),
                                k -> new ArrayList<>())
                        .add(reply.text());
            }
            for (CrashPlatform.Delivery reply : wecom.deliveries()) {
                replies.computeIfAbsent(
                                FakeWeComPlatform.ACCOUNT + "/"
                                        + reply.replyTo().messageId(),
                                k -> new ArrayList<>())
                        .add(reply.text());
            }
            return replies;
        }

        /** The texts of the messages no reply answers yet, in sending order. */
        List<String> unanswered() {
            Map<String, List<String>> replies = replies();
            return order.stream()
                    .filter(key -> !replies.containsKey(key))
                    .map(sent::get)
                    .toList();
        }

        /** Messages answered more than once, with their replies. */
        Map<String, List<String>> duplicates() {
            Map<String, List<String>> duplicates = new TreeMap<>();
            replies().forEach((key, texts) -> {
                if (texts.size() > 1) {
                    duplicates.put(sent.getOrDefault(key, key), texts);
                }
            });
            return duplicates;
        }

        /** Messages answered with something else than their echo (an apology), with the reply. */
        Map<String, List<String>> notEchoed() {
            Map<String, List<String>> other = new TreeMap<>();
            replies().forEach((key, texts) -> {
                String text = sent.get(key);
                if (text != null && !texts.contains(text)) {
                    other.put(text, texts);
                }
            });
            return other;
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
