package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.testkit.postgres.TestPostgres;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgUser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster benchmark of SPEC §12 (docs/cluster.md): two replicas in JVMs of their own share one
 * PostgreSQL store and one Telegram account on the fake Bot API. Each round SIGKILLs the replica
 * that owns the account, sends a message at once, and measures until the survivor holds the
 * account's lease ({@code failover}) and until the message is answered ({@code reply}); then the
 * killed replica starts again. A last round stops the owner gracefully ({@code gateway stop}'s
 * handover). The floor is the lease TTL: a dead owner's lease cannot move sooner.
 */
public final class FailoverBench {
    private static final String TOKEN = "bench-token-not-secret";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String DB_NOW = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";

    private FailoverBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int ttlMs = 15_000;
        Optional<Path> json = Optional.empty();
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--rounds" -> rounds = BenchOptions.atLeast(1, args[i], value);
                case "--ttl-ms" -> ttlMs = BenchOptions.atLeast(3000, args[i], value);
                case "--json" -> json = Optional.of(Path.of(BenchOptions.required(args[i], value)));
                default -> throw new IllegalArgumentException(
                        "unknown option " + args[i] + " (expected: --rounds, --ttl-ms, --json)");
            }
        }
        PrintStream log = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        ObjectNode report = run(rounds, Duration.ofMillis(ttlMs), log);
        String text = FrameCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(report);
        System.out.println(text);
        if (json.isPresent()) {
            Files.writeString(json.get(), text + "\n", StandardCharsets.UTF_8);
        }
    }

    static ObjectNode run(int rounds, Duration ttl, PrintStream log)
            throws IOException, InterruptedException, SQLException {
        ObjectNode report = FrameCodec.json().createObjectNode();
        report.put("benchmark", "cluster-failover");
        report.set("machine", ProtocolBench.machine());
        report.put("leaseTtlMs", ttl.toMillis());
        String storeUrl = TestPostgres.get().url(Files.createTempDirectory("switchboard-bench-cluster"));
        try (FakeTelegram telegram = FakeTelegram.start()) {
            FakeBot bot = telegram.addBot(FakeTelegram.newToken(7_000_002), "cluster_bench_bot");
            TgUser user = bot.user(4242, "user");
            TgChat chat = bot.privateChat(user);
            Map<String, Path> configs = new HashMap<>();
            for (String id : List.of("r1", "r2")) {
                Path config = Files.createTempFile("switchboard-bench-" + id + "-", ".conf");
                Files.writeString(config, config(id, storeUrl, ttl, telegram.apiBaseUrl(), bot.token(), chat.id()));
                configs.put(id, config);
            }
            Map<String, GatewayProcess> replicas = new HashMap<>();
            try {
                for (String id : List.of("r1", "r2")) {
                    replicas.put(id, GatewayProcess.start(List.of(), TOKEN, Optional.of(configs.get(id))));
                }
                Lease settled = awaitLease(storeUrl, lease -> lease.held());
                ArrayNode kills = report.putArray("sigkill");
                List<Long> failovers = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    String owner = settled.owner();
                    String text = "after-kill-" + round;
                    long killedAt = System.nanoTime();
                    replicas.get(owner).kill9();
                    bot.userSays(chat, user, text);
                    Lease moved = awaitLease(
                            storeUrl, lease -> lease.held() && !lease.owner().equals(owner));
                    long failover =
                            Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
                    awaitReply(bot, text);
                    long reply = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
                    log.printf(
                            "round %d: %s killed, %s took over in %d ms, reply after %d ms%n",
                            round, owner, moved.owner(), failover, reply);
                    kills.addObject().put("failoverMs", failover).put("replyMs", reply);
                    failovers.add(failover);
                    replicas.put(owner, GatewayProcess.start(List.of(), TOKEN, Optional.of(configs.get(owner))));
                    Thread.sleep(3_000); // the restarted replica joins; the account may move back to it
                    settled = awaitLease(storeUrl, lease -> lease.held());
                }
                failovers.sort(Long::compare);
                long median = failovers.get(failovers.size() / 2);
                report.put("failoverMsMedian", median);
                report.put("failoverToTtlRatio", Math.round(100.0 * median / ttl.toMillis()) / 100.0);
                report.put("budgetMs", ttl.toMillis() + 5_000);

                String owner = settled.owner();
                String text = "after-stop";
                long stoppedAt = System.nanoTime();
                replicas.get(owner).close(); // gateway.close(): hands the account over, then exits
                bot.userSays(chat, user, text);
                Lease moved = awaitLease(
                        storeUrl, lease -> lease.held() && !lease.owner().equals(owner));
                long handover = Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis();
                awaitReply(bot, text);
                long reply = Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis();
                log.printf(
                        "graceful stop of %s: %s took over in %d ms, reply after %d ms%n",
                        owner, moved.owner(), handover, reply);
                report.putObject("gracefulStop").put("handoverMs", handover).put("replyMs", reply);
            } finally {
                replicas.values().forEach(GatewayProcess::close);
                for (Path config : configs.values()) {
                    Files.deleteIfExists(config);
                }
            }
        }
        return report;
    }

    private static String config(String id, String storeUrl, Duration ttl, String apiBaseUrl, String token, long chat) {
        return """
                agent.provider = "echo"
                store.url = "%s"
                gateway.cluster { enabled = true, replica_id = "%s", lease_ttl_ms = %d }
                telegram.accounts.bench { bot_token = "%s", api_base_url = "%s", allowed_chat_ids = [%d] }
                """
                .formatted(storeUrl, id, ttl.toMillis(), token, apiBaseUrl, chat);
    }

    private record Lease(String owner, boolean held) {}

    private interface LeaseCheck {
        boolean test(Lease lease);
    }

    private static Lease awaitLease(String storeUrl, LeaseCheck check) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(storeUrl);
                    PreparedStatement ps = c.prepareStatement("SELECT COALESCE(owner, ''), owner IS NOT NULL"
                            + " AND expires_at > " + DB_NOW + " FROM account_lease WHERE account = 'bench'");
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    Lease lease = new Lease(rs.getString(1), rs.getBoolean(2));
                    if (check.test(lease)) {
                        return lease;
                    }
                }
            } catch (SQLException e) {
                // not created yet: ask again
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the lease did not settle within " + WAIT.toSeconds() + " s");
    }

    private static void awaitReply(FakeBot bot, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (bot.sent().stream().anyMatch(sent -> sent.text().equals(text))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no reply to " + text + " within " + WAIT.toSeconds() + " s");
    }
}
