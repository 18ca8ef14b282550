package dev.switchboard.bench;

import static dev.switchboard.bench.BenchOptions.atLeast;
import static dev.switchboard.bench.BenchOptions.required;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.config.internal.ConfigHash;
import dev.switchboard.core.reload.internal.ConfigWatcher;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.testkit.telegram.ApiCall;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgUser;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The config-reload benchmark of SPEC §12 ("config change applied <= 500 ms after the file is
 * written"): a gateway in its own JVM, watching its config file as {@code gateway run} does, runs
 * one Telegram account polling the fake Bot API in this JVM; a control-protocol client is connected
 * with the gateway's token.
 *
 * <ul>
 *   <li><b>hot edits</b>: {@code --edits} saves (after {@code --warmup}), each adding a new chat to
 *       the account's {@code allowed_chat_ids} (a {@code hot} change, applied without restarting the
 *       account), timed from just before the save to the arrival of {@code config.changed} whose
 *       {@code hash} is the SHA-256 of the text saved: the gateway broadcasts it once the change is
 *       in force. Measured for a whole-file write and for an editor's temp file + rename;
 *   <li><b>floor</b>, measured in the same run: the JDK WatchService's own latency (save -> first
 *       event, no gateway) in a temp directory of the same kind, plus the 300 ms debounce the spec
 *       requires. The gateway's figure is reported as a ratio to it and as what it adds;
 *   <li><b>account restart</b> ({@code --restarts}, 0 skips it): saves changing the account's bot
 *       token (a {@code channel} change: the old adapter closed, a new one started), timed to
 *       {@code config.changed} and to the new token's first {@code getUpdates} at the fake.
 * </ul>
 *
 * <p>A hot edit that restarted the account (a second {@code getMe}), or a {@code config.changed}
 * for another text than the one saved, fails the run: those would be figures of a broken gateway.
 */
public final class ReloadBench {
    private static final String TOKEN = "bench-token-not-secret";
    private static final long BUDGET_MS = 500;
    private static final Duration EDIT_TIMEOUT = Duration.ofSeconds(10);
    private static final long FIRST_CHAT = 100_000;

    private ReloadBench() {}

    record Options(int edits, int warmup, int restarts, List<String> gatewayJvmOptions, Optional<Path> json) {
        static Options parse(String[] args) {
            int edits = 30;
            int warmup = 3;
            int restarts = 10;
            List<String> jvm = List.of();
            Optional<Path> json = Optional.empty();
            for (int i = 0; i < args.length; i += 2) { // an option and its value
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--edits" -> edits = atLeast(1, args[i], value);
                    case "--warmup" -> warmup = atLeast(0, args[i], value);
                    case "--restarts" -> restarts = atLeast(0, args[i], value);
                    case "--gateway-jvm-opts" -> jvm = value == null || value.isBlank()
                            ? List.of()
                            : List.of(value.trim().split("\\s+"));
                    case "--json" -> json = Optional.of(Path.of(required(args[i], value)));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (expected: --edits, --warmup, --restarts, --gateway-jvm-opts, --json)");
                }
            }
            return new Options(edits, warmup, restarts, jvm, json);
        }
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main(
                "reload bench",
                args,
                Options::parse,
                options -> run(options, System.err),
                ReloadBench::table,
                Options::json);
    }

    static ObjectNode run(Options options, PrintStream log) throws IOException, InterruptedException {
        ObjectNode report = FrameCodec.json().createObjectNode();
        report.put("benchmark", "config-reload");
        report.set("machine", ProtocolBench.machine());
        report.put("budgetMs", BUDGET_MS);
        report.put("debounceMs", ConfigWatcher.DEFAULT_DEBOUNCE.toMillis());
        report.put("hotChange", "telegram.accounts.bench.allowed_chat_ids: one chat added per edit");
        report.put("directory", System.getProperty("java.io.tmpdir"));

        Map<Editor, Latencies> floors = new EnumMap<>(Editor.class);
        Path floorDir = Files.createTempDirectory("switchboard-bench-watch");
        try {
            for (Editor editor : Editor.values()) {
                log.printf("floor: WatchService latency, %s, %d saves%n", editor.description(), options.edits());
                floors.put(
                        editor,
                        WatchFloor.measure(
                                floorDir.resolve("switchboard.toml"), editor, options.warmup(), options.edits()));
            }
        } finally {
            deleteTree(floorDir);
        }

        Path dir = Files.createTempDirectory("switchboard-bench-reload");
        try (FakeTelegram telegram = FakeTelegram.start()) {
            FakeBot bot = telegram.addBot(FakeTelegram.newToken(7_000_001), "bench_bot");
            FakeBot other = telegram.addBot(FakeTelegram.newToken(7_000_002), "bench_bot_2");
            Configs configs = new Configs(telegram.apiBaseUrl());
            Path file = dir.resolve("switchboard.toml");
            Files.writeString(file, configs.allowing(bot.token(), 0));
            BlockingQueue<Arrival> changes = new LinkedBlockingQueue<>();
            try (GatewayProcess gateway = GatewayProcess.start(options.gatewayJvmOptions(), TOKEN, Optional.of(file));
                    GatewayClient client = GatewayClient.builder(URI.create("ws://127.0.0.1:" + gateway.port()))
                            .token(TOKEN)
                            .clientInfo("switchboard-bench", "1", "jvm", "bench")
                            .onEvent(event -> arrived(event, changes))
                            .build()
                            .connect()) {
                ObjectNode jvm = report.putObject("gatewayJvm");
                gateway.jvmOptions().forEach(jvm.putArray("options")::add);
                jvm.put("collectors", gateway.collectors());
                log.printf("gateway pid %d watching %s; %s%n", gateway.pid(), file, client);
                bot.awaitCallCount("getUpdates", 1, EDIT_TIMEOUT); // the account is up
                int getMeBefore = bot.callCount("getMe");

                Editing editing = new Editing(file, changes);
                ObjectNode edits = report.putObject("edits");
                for (Editor editor : Editor.values()) {
                    log.printf(
                            "hot edits: %s, %d warm-up + %d%n",
                            editor.description(), options.warmup(), options.edits());
                    Latencies applied = new Latencies();
                    for (int i = 0; i < options.warmup() + options.edits(); i++) {
                        long took = editing.apply(editor, configs.allowing(bot.token(), editing.count() + 1));
                        if (i >= options.warmup()) {
                            applied.record(took);
                        }
                    }
                    edits.set(
                            editor.key(),
                            againstFloor(editor, applied, requireNonNull(floors.get(editor), editor.key())));
                }
                if (bot.callCount("getMe") != getMeBefore) {
                    throw new IllegalStateException("a hot edit restarted the Telegram account (getMe called "
                            + (bot.callCount("getMe") - getMeBefore) + " more time(s))");
                }
                requireLastChatAnswered(bot, editing.count());

                if (options.restarts() > 0) {
                    log.printf("account restarts (bot token), 1 warm-up + %d%n", options.restarts());
                    report.set(
                            "accountRestart",
                            accountRestarts(
                                    editing, configs, List.of(other, bot), editing.count(), options.restarts()));
                }
            }
        } finally {
            deleteTree(dir);
        }
        return report;
    }

    /** Config texts: the bench account with its allowlist; every text differs from the previous one. */
    private record Configs(String apiBaseUrl) {
        /** The account with {@code bot_token} answering the first chat and chat number {@code added}. */
        String allowing(String botToken, int added) {
            return """
                    [agent]
                    provider = "echo"

                    [telegram]
                    enabled = true
                    default_account = "bench"

                    [telegram.accounts.bench]
                    bot_token = "%s"
                    allowed_chat_ids = [%d, %d]
                    api_base_url = "%s"
                    """
                    .formatted(botToken, FIRST_CHAT, FIRST_CHAT + added, apiBaseUrl);
        }
    }

    /** A {@code config.changed} event: the hash of the config now in force, and when it arrived. */
    private record Arrival(String hash, long atNanos) {}

    private static void arrived(Frame.Event event, BlockingQueue<Arrival> changes) {
        if (Events.CONFIG_CHANGED.equals(event.event())) {
            changes.add(new Arrival(event.payload().path("hash").asText(), System.nanoTime()));
        }
    }

    /** Saves config texts one at a time, each awaited until the gateway says it is in force. */
    private static final class Editing {
        private final Path file;
        private final BlockingQueue<Arrival> changes;
        private int count;

        Editing(Path file, BlockingQueue<Arrival> changes) {
            this.file = file;
            this.changes = changes;
        }

        /** Saves {@code text} and returns the nanoseconds until its {@code config.changed} arrived. */
        long apply(Editor editor, String text) throws IOException, InterruptedException {
            count++;
            String hash = ConfigHash.of(text);
            long start = System.nanoTime();
            editor.save(file, text);
            Arrival arrival = changes.poll(EDIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (arrival == null) {
                throw new IllegalStateException(
                        "edit " + count + " (" + editor.description() + "): no config.changed within "
                                + EDIT_TIMEOUT.toSeconds() + " s (expected hash " + hash + ")");
            }
            if (!arrival.hash().equals(hash)) {
                throw new IllegalStateException("edit " + count + " (" + editor.description()
                        + "): config.changed for hash " + arrival.hash() + " (expected: " + hash + ", the text saved)");
            }
            return arrival.atNanos() - start;
        }

        int count() {
            return count;
        }
    }

    /**
     * The last chat added is answered: the allowlist the figures timed is the one in force, and the
     * account still answers after all those edits.
     */
    private static void requireLastChatAnswered(FakeBot bot, int added) {
        TgUser user = bot.user(FIRST_CHAT + added, "user" + added);
        String text = "sentinel after " + added + " edits";
        bot.userSays(bot.privateChat(user), user, text);
        List<SentMessage> sent = bot.awaitSent(bot.sent().size() + 1, EDIT_TIMEOUT);
        if (sent.stream().noneMatch(message -> message.text().equals(text))) {
            throw new IllegalStateException(
                    "the chat added by the last edit was not answered (expected an echo of \"" + text + "\")");
        }
    }

    /** Saves alternating the account's bot token between {@code bots}; the first restart is a warm-up. */
    private static ObjectNode accountRestarts(
            Editing editing, Configs configs, List<FakeBot> bots, int allowlist, int restarts)
            throws IOException, InterruptedException {
        Latencies toChanged = new Latencies();
        Latencies toPolling = new Latencies();
        for (int i = 0; i < 1 + restarts; i++) {
            FakeBot next = bots.get(i % bots.size());
            Instant saved = Instant.now();
            long changed = editing.apply(Editor.WRITE, configs.allowing(next.token(), allowlist));
            Instant polling = firstGetUpdatesSince(next, saved);
            if (i > 0) {
                toChanged.record(changed);
                toPolling.record(Duration.between(saved, polling).toNanos());
            }
        }
        ObjectNode result = FrameCodec.json().createObjectNode();
        result.put("change", "telegram.accounts.bench.bot_token (channel: only this account restarts)");
        result.put("editor", Editor.WRITE.description());
        result.set("toConfigChanged", toChanged.summary().toJson());
        result.set("toNewTokenPolling", toPolling.summary().toJson());
        return result;
    }

    /** When the fake first saw {@code bot}'s token poll for updates at or after {@code since}. */
    private static Instant firstGetUpdatesSince(FakeBot bot, Instant since) throws InterruptedException {
        long deadline = System.nanoTime() + EDIT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Instant> first = bot.calls().stream()
                    .filter(call ->
                            call.method().equals("getUpdates") && !call.at().isBefore(since))
                    .map(ApiCall::at)
                    .findFirst();
            if (first.isPresent()) {
                return first.get();
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("the restarted account did not poll with bot " + bot.username() + " within "
                + EDIT_TIMEOUT.toSeconds() + " s of the save");
    }

    /** The applied figure beside its floor (WatchService latency + the debounce), ratio and difference. */
    private static ObjectNode againstFloor(Editor editor, Latencies applied, Latencies watch) {
        Latencies.Summary figure = applied.summary();
        Latencies.Summary events = watch.summary();
        double debounce = ConfigWatcher.DEFAULT_DEBOUNCE.toMillis();
        ObjectNode result = FrameCodec.json().createObjectNode();
        result.put("editor", editor.description());
        result.set("applied", figure.toJson());
        result.set("watchService", events.toJson());
        ObjectNode floor = result.putObject("floor");
        floor.put("p50Ms", Latencies.round(events.p50() + debounce));
        floor.put("p90Ms", Latencies.round(events.p90() + debounce));
        floor.put("maxMs", Latencies.round(events.max() + debounce));
        result.put("gatewayAddsP50Ms", Latencies.round(figure.p50() - events.p50() - debounce));
        result.put("gatewayAddsP90Ms", Latencies.round(figure.p90() - events.p90() - debounce));
        result.put("ratioToFloorP50", Latencies.round(figure.p50() / (events.p50() + debounce)));
        result.put("pass", figure.max() <= BUDGET_MS);
        return result;
    }

    static String table(ObjectNode report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"figure (ms)", "p50", "p90", "max", "budget (SPEC §12)", "result"});
        for (Editor editor : Editor.values()) {
            var edit = report.path("edits").path(editor.key());
            var applied = edit.path("applied");
            var floor = edit.path("floor");
            rows.add(row(
                    "save -> config.changed, " + editor.description(),
                    applied.path("p50Ms").asDouble(),
                    applied.path("p90Ms").asDouble(),
                    applied.path("maxMs").asDouble(),
                    "every one <= " + report.path("budgetMs").asLong(),
                    edit.path("pass").asBoolean() ? "pass" : "FAIL"));
            rows.add(row(
                    "  floor: WatchService + " + report.path("debounceMs").asLong() + " ms debounce",
                    floor.path("p50Ms").asDouble(),
                    floor.path("p90Ms").asDouble(),
                    floor.path("maxMs").asDouble(),
                    "",
                    ""));
            rows.add(new String[] {
                "  gateway adds (p50 / p90); ratio to floor (p50)",
                fmt(edit.path("gatewayAddsP50Ms").asDouble()),
                fmt(edit.path("gatewayAddsP90Ms").asDouble()),
                String.format(Locale.ROOT, "x%.2f", edit.path("ratioToFloorP50").asDouble()),
                "",
                ""
            });
        }
        var restart = report.path("accountRestart");
        if (!restart.isMissingNode()) {
            for (String[] figure : List.of(
                    new String[] {"toConfigChanged", "token change (restarts the account) -> config.changed"},
                    new String[] {"toNewTokenPolling", "token change -> new token's first getUpdates"})) {
                var summary = restart.path(figure[0]);
                rows.add(row(
                        figure[1],
                        summary.path("p50Ms").asDouble(),
                        summary.path("p90Ms").asDouble(),
                        summary.path("maxMs").asDouble(),
                        "",
                        ""));
            }
        }
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                text.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i]));
                text.append(i < columns - 1 ? "  " : "\n");
            }
        }
        return text.toString();
    }

    private static String[] row(String name, double p50, double p90, double max, String budget, String result) {
        return new String[] {name, fmt(p50), fmt(p90), fmt(max), budget, result};
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
