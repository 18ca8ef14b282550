package dev.switchboard.bench;

import static dev.switchboard.bench.BenchOptions.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.testkit.postgres.TestPostgres;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgUser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The reply-loop benchmark of SPEC §12: a gateway in its own JVM runs one Telegram account against
 * the fake Bot API in this JVM, with the echo agent and the SQLite store on disk, so every message
 * takes the whole path operators run: {@code getUpdates} -> durable accept -> conversation queue ->
 * agent -> outbox -> {@code sendMessage}.
 *
 * <ul>
 *   <li><b>throughput</b>: {@code --messages} messages are queued at the fake at once over {@code
 *       --chats} private chats; reported are the durable-accept rate (the gateway confirms an
 *       update offset only after the batch is committed) and the end-to-end rate (every reply
 *       received by the fake);
 *   <li><b>latency</b>: an open-loop stream at {@code --rate} messages/s for {@code --seconds};
 *       each message's latency is from the moment the fake holds it to the moment the fake
 *       received its reply. Both ends are in the fake, so the figure includes the fake's two HTTP
 *       exchanges: an upper bound of what the gateway adds.
 * </ul>
 */
public final class ReplyLoopBench {
    private static final String TOKEN = "bench-token-not-secret";
    private static final long BOT_ID = 7_000_001;

    private ReplyLoopBench() {}

    record Options(
            int messages,
            int rate,
            int seconds,
            int chats,
            int warmup,
            List<String> gatewayJvmOptions,
            String store,
            Optional<Path> json) {
        static Options parse(String[] args) {
            int messages = 20_000;
            int rate = 500;
            int seconds = 20;
            int chats = 100;
            int warmup = 3_000;
            List<String> jvm = List.of();
            String store = "sqlite";
            Optional<Path> json = Optional.empty();
            for (int i = 0; i < args.length; i += 2) { // an option and its value
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--messages" -> messages = positive(args[i], value);
                    case "--rate" -> rate = positive(args[i], value);
                    case "--seconds" -> seconds = positive(args[i], value);
                    case "--chats" -> chats = positive(args[i], value);
                    case "--warmup" -> warmup = positive(args[i], value);
                    case "--gateway-jvm-opts" -> jvm = value == null || value.isBlank()
                            ? List.of()
                            : List.of(value.trim().split("\\s+"));
                    case "--store" -> store = store(args[i], value);
                    case "--json" -> json = Optional.of(Path.of(required(args[i], value)));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (expected: --messages, --rate, --seconds, --chats, --warmup, --gateway-jvm-opts,"
                            + " --store, --json)");
                }
            }
            return new Options(messages, rate, seconds, chats, warmup, jvm, store, json);
        }

        private static String store(String option, @Nullable String value) {
            String store = required(option, value);
            if (!store.equals("sqlite") && !store.equals("postgresql")) {
                throw new IllegalArgumentException(option + ": " + store + " (expected: sqlite or postgresql)");
            }
            return store;
        }

        private static int positive(String option, @Nullable String value) {
            try {
                int n = Integer.parseInt(required(option, value));
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + ": " + value + " (expected: a positive integer)");
        }
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main(
                "reply-loop bench",
                args,
                Options::parse,
                options -> run(options, System.err),
                ReplyLoopBench::table,
                Options::json);
    }

    static ObjectNode run(Options options, PrintStream log) throws IOException, InterruptedException {
        ObjectNode report = FrameCodec.json().createObjectNode();
        report.put("benchmark", "reply-loop");
        report.set("machine", ProtocolBench.machine());
        try (FakeTelegram telegram = FakeTelegram.start()) {
            FakeBot bot = telegram.addBot(FakeTelegram.newToken(BOT_ID), "bench_bot");
            List<Conversation> chats = new ArrayList<>();
            for (int i = 0; i < options.chats(); i++) {
                TgUser user = bot.user(100_000 + i, "user" + i);
                chats.add(new Conversation(bot.privateChat(user), user));
            }
            Path config = Files.createTempFile("switchboard-bench-", ".toml");
            Optional<String> storeUrl = options.store().equals("postgresql")
                    ? Optional.of(TestPostgres.get().url(Files.createTempDirectory("switchboard-bench-pg")))
                    : Optional.empty();
            Files.writeString(config, config(telegram.apiBaseUrl(), bot.token(), storeUrl), StandardCharsets.UTF_8);
            try (GatewayProcess gateway =
                    GatewayProcess.start(options.gatewayJvmOptions(), TOKEN, Optional.of(config))) {
                ObjectNode jvm = report.putObject("gatewayJvm");
                gateway.jvmOptions().forEach(jvm.putArray("options")::add);
                jvm.put("collectors", gateway.collectors());
                jvm.put("maxHeapBytes", gateway.maxHeap());
                report.put(
                        "store",
                        storeUrl.isPresent()
                                ? "PostgreSQL (a private local server, fsync off) at " + storeUrl.get()
                                : "SQLite (WAL, synchronous=NORMAL) in " + System.getProperty("java.io.tmpdir"));
                log.printf("gateway pid %d, fake Telegram at %s%n", gateway.pid(), telegram.apiBaseUrl());
                Injector injector = new Injector(bot, chats);

                log.printf("warm-up: %d messages%n", options.warmup());
                injector.burst(options.warmup());
                injector.awaitReplies(Duration.ofMinutes(2));

                log.printf("throughput: %d messages queued at once%n", options.messages());
                report.set("throughput", throughput(injector, options.messages()));

                log.printf("latency: %d messages/s for %d s%n", options.rate(), options.seconds());
                report.set("latencyAtRate", latency(injector, options.rate(), options.seconds()));
            } finally {
                Files.deleteIfExists(config);
            }
        }
        return report;
    }

    private static String config(String apiBaseUrl, String botToken, Optional<String> storeUrl) {
        String store = storeUrl.map(url -> "[store]\nurl = \"" + url + "\"\n\n").orElse("");
        return store
                + """
                [agent]
                provider = "echo"

                [telegram]
                enabled = true
                default_account = "bench"

                [telegram.accounts.bench]
                bot_token = "%s"
                allowed_chat_ids = ["*"]
                api_base_url = "%s"
                """
                        .formatted(botToken, apiBaseUrl);
    }

    private static ObjectNode throughput(Injector injector, int messages) throws InterruptedException {
        long offsetBefore = injector.bot.confirmedOffset();
        long start = System.nanoTime();
        List<Integer> updateIds = injector.burst(messages);
        int lastUpdate = updateIds.get(updateIds.size() - 1);
        long acceptedAt = 0;
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (acceptedAt == 0 && injector.bot.confirmedOffset() > lastUpdate) {
                acceptedAt = System.nanoTime();
            }
            if (acceptedAt != 0 && injector.repliesReceived() >= injector.injected()) {
                break;
            }
            Thread.sleep(5);
        }
        long done = System.nanoTime();
        if (acceptedAt == 0 || injector.repliesReceived() < injector.injected()) {
            throw new IllegalStateException("the gateway did not answer " + messages + " messages within 5 minutes ("
                    + injector.repliesReceived() + " of " + injector.injected() + " replies, offset "
                    + injector.bot.confirmedOffset() + " from " + offsetBefore + ")");
        }
        injector.requireEachAnsweredOnce();
        double acceptSeconds = (acceptedAt - start) / 1e9;
        double replySeconds = (done - start) / 1e9;
        return FrameCodec.json()
                .createObjectNode()
                .put("messages", messages)
                .put("durablyAcceptedPerSecond", Math.round(messages / acceptSeconds))
                .put("repliedPerSecond", Math.round(messages / replySeconds))
                .put("acceptSeconds", Latencies.round(acceptSeconds))
                .put("replySeconds", Latencies.round(replySeconds));
    }

    private static ObjectNode latency(Injector injector, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        Map<String, Instant> injectedAt = new HashMap<>();
        long next = System.nanoTime();
        for (int i = 0; i < total; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            next += interval;
            String text = injector.nextText();
            injectedAt.put(text, Instant.now());
            injector.inject(text);
        }
        injector.awaitReplies(Duration.ofMinutes(2));
        injector.requireEachAnsweredOnce();
        Latencies latencies = new Latencies();
        for (SentMessage sent : injector.bot.sent()) {
            Instant at = injectedAt.get(sent.text());
            if (at != null) {
                latencies.record(Duration.between(at, sent.at()).toNanos());
            }
        }
        if (latencies.count() != total) {
            throw new IllegalStateException(
                    "expected " + total + " replies to the latency stream, got " + latencies.count());
        }
        ObjectNode result = latencies.summary().toJson();
        result.put("ratePerSecond", rate).put("seconds", seconds);
        return result;
    }

    /** A private chat and its user. */
    private record Conversation(TgChat chat, TgUser user) {}

    /** Queues user messages at the fake, round-robin over the chats, each text unique. */
    private static final class Injector {
        private final FakeBot bot;
        private final List<Conversation> chats;
        private int sequence;

        Injector(FakeBot bot, List<Conversation> chats) {
            this.bot = bot;
            this.chats = chats;
        }

        String nextText() {
            sequence++;
            return "m" + sequence;
        }

        int inject(String text) {
            Conversation to = chats.get(sequence % chats.size());
            return bot.userSays(to.chat(), to.user(), text).updateId();
        }

        List<Integer> burst(int count) {
            List<Integer> updateIds = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                updateIds.add(inject(nextText()));
            }
            return updateIds;
        }

        int injected() {
            return sequence;
        }

        int repliesReceived() {
            return bot.sent().size();
        }

        void awaitReplies(Duration timeout) {
            bot.awaitSent(sequence, timeout);
        }

        /** A figure measured with a lost or repeated reply would be a figure of a broken gateway. */
        void requireEachAnsweredOnce() {
            Map<String, Integer> replies = new HashMap<>();
            bot.sent().forEach(sent -> replies.merge(sent.text(), 1, Integer::sum));
            List<String> wrong = new ArrayList<>();
            for (int i = 1; i <= sequence && wrong.size() < 10; i++) {
                int count = replies.getOrDefault("m" + i, 0);
                if (count != 1) {
                    wrong.add("m" + i + " answered " + count + " time(s)");
                }
            }
            if (!wrong.isEmpty()) {
                throw new IllegalStateException("the gateway did not answer every message exactly once: " + wrong);
            }
        }
    }

    static String table(ObjectNode report) {
        ObjectNode throughput = (ObjectNode) report.get("throughput");
        ObjectNode latency = (ObjectNode) report.get("latencyAtRate");
        return String.format(
                "%-44s %12s%n%-44s %12d%n%-44s %12d%n%-44s %12s%n%-44s %12.3f%n%-44s %12.3f%n%-44s %12.3f%n%-44s %12.3f%n",
                "reply loop (fake Telegram, echo agent)",
                "",
                "durably accepted messages/s (budget >= 2000)",
                throughput.get("durablyAcceptedPerSecond").asLong(),
                "replied messages/s",
                throughput.get("repliedPerSecond").asLong(),
                "latency at " + latency.get("ratePerSecond").asInt() + " msg/s",
                "ms",
                "  p50",
                latency.get("p50Ms").asDouble(),
                "  p90",
                latency.get("p90Ms").asDouble(),
                "  p99 (budget <= 10)",
                latency.get("p99Ms").asDouble(),
                "  max",
                latency.get("maxMs").asDouble());
    }
}
