package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.gateway.CrashPlatform.MessageKey;
import dev.switchboard.cli.gateway.KillRestartHarness.Kill;
import dev.switchboard.testkit.telegram.ApiCall;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.Fault;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Telegram channel end to end (SPEC §6, §7, §11): the real gateway in a JVM of its own, started
 * by the launcher ({@code gateway run --dev}), long-polls the fake Bot API with the echo agent.
 * Allowlist, splitting, 409 and 429 handling, and SIGKILLs mid-stream, each audited from the
 * platform's side: what the bot sent and which updates it confirmed.
 */
class TelegramEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern CONNECTED = Pattern.compile("channel telegram\\.ops: connected");
    private static final String OFFSET_CURSOR = "telegram/" + FakeTelegramPlatform.ACCOUNT + "/offset";

    @TempDir
    Path home;

    private FakeTelegramPlatform platform;
    private KillRestartHarness harness;

    /** Starts the fake Bot API and a gateway polling it, and waits until the account is connected. */
    private FakeBot startGateway() throws Exception {
        platform = new FakeTelegramPlatform();
        harness = KillRestartHarness.start(home, platform);
        harness.gateway().awaitStderr(CONNECTED);
        return platform.bot();
    }

    @AfterEach
    void stopAndCheckTheTokenStayedSecret() throws Exception {
        try {
            if (harness != null) {
                harness.close();
                assertTokenNeverShown();
            }
        } finally {
            if (platform != null) {
                platform.close();
            }
        }
    }

    /** The token travels in every Bot API URL; neither it nor its secret half may reach any output or log. */
    private void assertTokenNeverShown() throws IOException {
        String token = platform.token();
        String secretHalf = token.substring(token.indexOf(':') + 1);
        List<String> outputs = new ArrayList<>();
        try (Stream<Path> files = Files.list(harness.processLogs())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                outputs.add(Files.readString(file)); // every gateway's stdout and stderr, killed ones too
            }
        }
        Path logs = harness.stateDir().resolve("logs");
        assertThat(logs).as("the gateway's log directory").isDirectory();
        try (Stream<Path> files = Files.list(logs)) {
            List<Path> logFiles = files.filter(Files::isRegularFile).toList();
            assertThat(logFiles).as("log files in %s", logs).isNotEmpty();
            for (Path file : logFiles) {
                outputs.add(Files.readString(file));
            }
        }
        assertThat(String.join("\n", outputs)).contains("telegram").doesNotContain(secretHalf);
    }

    @Test
    void answersAllowedChatsAsRepliesAndDropsAndCountsOthers() throws Exception {
        FakeBot bot = startGateway();
        TgChat ann = platform.chat("ann");
        TgChat stranger = platform.strangerChat();

        TgMessage hello = bot.userSays(ann, platform.userOf(ann), "hello from Ann");
        bot.userSays(stranger, platform.userOf(stranger), "let me in");
        bot.userSays(stranger, platform.userOf(stranger), "please?");
        TgMessage again = bot.userSays(ann, platform.userOf(ann), "and again, with 🎉");

        List<SentMessage> replies = awaitSentTo(ann, 2);
        assertThat(replies).extracting(SentMessage::text).containsExactly("hello from Ann", "and again, with 🎉");
        assertThat(replies.get(0).replyToMessageId()).hasValue(hello.messageId());
        assertThat(replies.get(1).replyToMessageId()).hasValue(again.messageId());
        assertThat(replies)
                .allSatisfy(reply -> assertThat(reply.messageThreadId()).isEmpty());
        await("every update confirmed, the dropped ones too", () -> bot.confirmedOffset() == again.updateId() + 1);
        // replies in a chat keep their order: once this is answered, nothing else is on its way to Ann
        bot.userSays(ann, platform.userOf(ann), "sentinel");
        assertThat(awaitSentTo(ann, 3)).extracting(SentMessage::text).endsWith("sentinel");
        assertThat(bot.sent()).as("what the bot sent").hasSize(3);
        assertThat(platform.sentTo(stranger))
                .as("replies to a chat not in allowed_chat_ids")
                .isEmpty();

        LocalCli cli = new LocalCli(home);
        JsonNode account = awaitAccount(
                cli,
                status -> status.path("dropped").asLong() == 2
                        && status.path("outbound").asLong() == 3);
        assertThat(account.path("state").asText()).isEqualTo("connected");
        // a dropped message is never stored, so it can never be answered
        assertThat(account.path("inbound").asLong()).as("inbound").isEqualTo(3);
        LocalCli.Run table = cli.run("--dev", "channels", "status");
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("(?m)^telegram\\s+ops\\s+connected\\s");
        assertThat(harness.gateway().stderr())
                .contains("dropped a message from chat " + stranger.id() + " (not in allowed_chat_ids)")
                .doesNotContain("let me in");
        assertThat(account.path("outbound").asLong())
                .as("channels status: replies delivered (outbound) after three replies")
                .isEqualTo(3);
    }

    @Test
    void aLongReplyArrivesAsOrderedPartsWithinTheLimit() throws Exception {
        FakeBot bot = startGateway();
        TgChat ann = platform.chat("ann");
        String text = longText();
        assertThat(text.length()).isGreaterThan(9_000);

        TgMessage question = bot.userSays(ann, platform.userOf(ann), text);

        await(
                "the whole reply sent",
                () -> reassembled(platform.sentTo(ann), text).length() >= text.length());
        await("its outbox row delivered", harness::drained);
        List<SentMessage> parts = platform.sentTo(ann);
        assertThat(parts.size()).as("parts").isBetween(3, 4);
        assertThat(parts).allSatisfy(part -> {
            assertThat(part.text().length()).as("UTF-16 units").isLessThanOrEqualTo(4096);
            assertThat(Character.isHighSurrogate(part.text().charAt(part.text().length() - 1)))
                    .as("ends inside an emoji")
                    .isFalse();
            assertThat(Character.isLowSurrogate(part.text().charAt(0)))
                    .as("starts inside an emoji")
                    .isFalse();
        });
        assertThat(parts).extracting(SentMessage::messageId).isSorted();
        assertThat(parts.get(0).replyToMessageId()).hasValue(question.messageId());
        assertThat(parts.subList(1, parts.size()))
                .allSatisfy(part -> assertThat(part.replyToMessageId()).isEmpty());
        assertThat(reassembled(parts, text)).isEqualTo(text);
        assertThat(text.charAt(parts.get(0).text().length()))
                .as("the first part ends at the last line break that fits")
                .isEqualTo('\n');
    }

    /**
     * ~10,000 UTF-16 units: short lines with emoji (split at a line break), then one line longer than
     * a message with no line break in it (split at a space).
     */
    private static String longText() {
        StringBuilder text = new StringBuilder();
        for (int line = 1; text.length() < 5_000; line++) {
            text.append("line ").append(line).append(": the quick brown 🦊 jumps over the lazy 🐶 — ünïcødé\n");
        }
        for (int word = 1; text.length() < 10_000; word++) {
            text.append("word").append(word).append("😀 ");
        }
        return text.append("end").toString();
    }

    /**
     * The parts joined by the rule the channel documents: a part ends at a line break or a space, which
     * is dropped, or is cut hard (nothing dropped). So where the original has a separator after what
     * the parts so far hold, that separator was dropped; any other difference makes the result differ
     * from the original.
     */
    private static String reassembled(List<SentMessage> parts, String original) {
        StringBuilder text = new StringBuilder();
        for (SentMessage part : parts) {
            int at = text.length();
            if (at > 0 && at < original.length() && (original.charAt(at) == '\n' || original.charAt(at) == ' ')) {
                text.append(original.charAt(at));
            }
            text.append(part.text());
        }
        return text.toString();
    }

    @Test
    void eachReconnectIsLoggedOnceWithItsAttemptAndDelay() throws Exception {
        FakeBot bot = startGateway();
        LocalCli cli = new LocalCli(home);
        assertThat(awaitAccount(cli, status -> true).path("state").asText()).isEqualTo("connected");
        bot.awaitHeldPoll(WAIT);
        int pollsBefore = bot.callCount("getUpdates");
        bot.failNext("getUpdates", 2, Fault.serverError(502));
        platform.inject("c0", "ends the held poll");
        bot.awaitCallCount("getUpdates", pollsBefore + 3, WAIT);
        harness.gateway().awaitStderr(Pattern.compile("\\(attempt 2\\)\\).*" + CONNECTED.pattern(), Pattern.DOTALL));

        List<String> lines = harness.gateway().stderr().lines().toList();
        for (String attempt : List.of("(attempt 1))", "(attempt 2))")) {
            assertThat(lines)
                    .as("one line per reconnect attempt, naming it and its delay")
                    .filteredOn(line -> line.contains(attempt))
                    .singleElement()
                    .asString()
                    .contains("WARN")
                    .containsPattern("channel telegram\\.ops: reconnecting \\(Telegram answered 502 to getUpdates .*;"
                            + " retrying in \\d+ m?s \\(attempt \\d\\)\\)$");
        }
        assertThat(lines)
                .as("the adapter no longer logs what the gateway logs")
                .noneMatch(line -> line.contains("telegram reconnecting"));
    }

    @Test
    void survives409ConflictsAnd429BurstsWithoutLosingOrRepeatingAReply() throws Exception {
        FakeBot bot = startGateway();
        LocalCli cli = new LocalCli(home);
        assertThat(awaitAccount(cli, status -> true).path("state").asText()).isEqualTo("connected");
        LinkedHashMap<MessageKey, String> expected = new LinkedHashMap<>();

        // another poller takes the token three times; then its last poll answers late, so the
        // account stays degraded long enough to be seen
        bot.awaitHeldPoll(WAIT); // the idle long poll: the message below ends it
        int pollsBefore = bot.callCount("getUpdates");
        bot.failNext("getUpdates", 3, Fault.conflict());
        bot.failNext("getUpdates", 1, Fault.delay(Duration.ofSeconds(4)));
        expected.put(platform.inject("c0", "during the conflict"), "during the conflict");
        bot.awaitCallCount("getUpdates", pollsBefore + 4, WAIT); // 3 conflicts, then the late answer
        JsonNode degraded = awaitAccount(cli, status -> true);
        assertThat(degraded.path("state").asText()).isEqualTo("degraded");
        assertThat(degraded.path("lastError").asText()).contains("409 Conflict");
        harness.gateway()
                .awaitStderr(Pattern.compile(
                        "channel telegram\\.ops: degraded \\(another getUpdates poller.*" + CONNECTED.pattern(),
                        Pattern.DOTALL));
        assertThat(awaitAccount(cli, status -> true).path("state").asText()).isEqualTo("connected");
        List<ApiCall> polls = calls(bot, "getUpdates");
        List<ApiCall> conflicts =
                polls.stream().filter(call -> call.status() == 409).toList();
        assertThat(conflicts).hasSize(3);
        for (ApiCall conflict : conflicts) {
            ApiCall next = polls.get(polls.indexOf(conflict) + 1);
            assertThat(Duration.between(conflict.at(), next.at()))
                    .as("backoff after a 409 (1 s to 60 s with jitter: at least half a second)")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
        assertThat(polls.size() - pollsBefore)
                .as("getUpdates calls for the whole episode")
                .isLessThanOrEqualTo(7);

        // flood control on replies while messages keep coming
        bot.failNext("sendMessage", 6, Fault.tooManyRequests(1));
        try (MessageStream stream = new MessageStream(platform, 40, 4, Duration.ofMillis(50), 7).start()) {
            stream.awaitFinished(WAIT);
            stream.awaitDrained(harness, WAIT);
            expected.putAll(stream.sent());
        }
        ReplyAudit audit = new ReplyAudit(expected, platform.deliveries(), List.of());
        assertThat(audit.problems()).as("replies%s", harness.describe()).isEmpty();
        List<ApiCall> sends = calls(bot, "sendMessage");
        assertThat(sends).filteredOn(call -> call.status() == 429).hasSize(6);
        for (ApiCall limited :
                sends.stream().filter(call -> call.status() == 429).toList()) {
            long chat = JSON.readTree(limited.paramsJson()).path("chat_id").asLong();
            ApiCall retry = sends.subList(sends.indexOf(limited) + 1, sends.size()).stream()
                    .filter(call -> chatId(call) == chat)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no retry after " + limited));
            assertThat(Duration.between(limited.at(), retry.at()))
                    .as("retry to chat %d after a 429 with retry_after 1", chat)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        }
        assertThat(awaitAccount(cli, status -> true).path("state").asText()).isEqualTo("connected");
    }

    @Test
    void sigkillMidStreamResumesFromTheStoredOffsetAndLosesNothing() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        FakeBot bot = startGateway();
        int kills = 4;
        try (MessageStream stream = new MessageStream(platform, 300, 6, Duration.ofMillis(60), seed + 1).start()) {
            for (int i = 0; i < kills; i++) {
                Thread.sleep(300 + random.nextInt(1500)); // a random moment
                Kill kill = harness.killAndRestart(Duration.ofMillis(100 + random.nextInt(300)));
                System.out.printf(
                        "telegram kill %d (seed %d) after %d messages: %d repl(ies) undelivered, stored %s%n",
                        kill.number(),
                        seed,
                        stream.injected(),
                        kill.undelivered().size(),
                        kill.cursors());
            }
            stream.awaitFinished(Duration.ofSeconds(60));
            ReplyAudit audit = stream.awaitDrained(harness, Duration.ofSeconds(45));
            System.out.printf(
                    "telegram seed %d: %d messages, %d replies, in flight at a kill: %s%n",
                    seed, stream.sent().size(), platform.deliveries().size(), audit.inFlight());
            assertThat(audit.problems())
                    .as("SPEC §6 with seed %d (rerun with -Dcrash.seed=%d)%s", seed, seed, harness.describe())
                    .isEmpty();
        }

        harness.gateway().awaitStderr(CONNECTED); // the last gateway polls too (its outbox may have finished first)

        // every update confirmed at Telegram: nothing left for a next poller to answer again
        long end = platform.lastUpdateId() + 1;
        await("Telegram's confirmed offset reaches " + end, () -> bot.confirmedOffset() == end);
        assertThat(bot.pendingUpdates()).isZero();
        assertThat(harness.cursors()).containsEntry(OFFSET_CURSOR, Long.toString(end));

        // each restarted process polled on from the offset its predecessor had stored, never from scratch
        List<ApiCall> polls = calls(bot, "getUpdates");
        for (Kill kill : harness.kills()) {
            String stored = kill.cursors().get(OFFSET_CURSOR);
            ApiCall first = polls.stream()
                    .filter(call -> platform.nanos(call.at()) >= kill.relaunchedAtNanos())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no poll after restart " + kill.number() + "; last calls: "
                            + lastCalls(bot) + harness.describe()));
            OptionalLong offset = offset(first);
            if (stored == null) {
                assertThat(offset)
                        .as("first poll after kill %d, nothing stored yet", kill.number())
                        .isEmpty();
            } else {
                assertThat(offset)
                        .as("first poll after kill %d (seed %d)", kill.number(), seed)
                        .hasValue(Long.parseLong(stored));
            }
        }
        long previous = 0;
        for (ApiCall poll : polls) {
            OptionalLong offset = offset(poll);
            if (previous > 0) {
                assertThat(offset)
                        .as("poll at %s after offset %d (seed %d)", poll.at(), previous, seed)
                        .isPresent();
                assertThat(offset.getAsLong())
                        .as("offsets never go back (seed %d)", seed)
                        .isGreaterThanOrEqualTo(previous);
            }
            previous = offset.orElse(previous);
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private List<SentMessage> awaitSentTo(TgChat chat, int count) throws InterruptedException {
        await(
                count + " message(s) sent to chat " + chat.id(),
                () -> platform.sentTo(chat).size() >= count);
        return platform.sentTo(chat);
    }

    /** The account's {@code channels status --json} entry once {@code until} holds for it. */
    private JsonNode awaitAccount(LocalCli cli, java.util.function.Predicate<JsonNode> until)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode account = null;
        while (System.nanoTime() < deadline) {
            LocalCli.Run run = cli.run("--dev", "channels", "status", "--json");
            assertThat(run.code()).as(run.err()).isZero();
            for (JsonNode entry : JSON.readTree(run.out()).path("channels")) {
                if (entry.path("channel").asText().equals("telegram")
                        && entry.path("account").asText().equals(FakeTelegramPlatform.ACCOUNT)) {
                    account = entry;
                }
            }
            if (account != null && until.test(account)) {
                return account;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("channels status never showed what was expected; last: " + account);
    }

    /** The bot's last calls with this JVM's nanoTime of each, for failure messages. */
    private String lastCalls(FakeBot bot) {
        List<ApiCall> calls = bot.calls();
        return calls.subList(Math.max(0, calls.size() - 10), calls.size()).stream()
                .map(call -> call.method() + " " + call.status() + " at " + platform.nanos(call.at()) + " "
                        + call.paramsJson())
                .toList()
                .toString();
    }

    private static List<ApiCall> calls(FakeBot bot, String method) {
        return bot.calls().stream()
                .filter(call -> call.method().equalsIgnoreCase(method))
                .toList();
    }

    private static long chatId(ApiCall call) {
        try {
            return JSON.readTree(call.paramsJson()).path("chat_id").asLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OptionalLong offset(ApiCall poll) {
        try {
            JsonNode offset = JSON.readTree(poll.paramsJson()).path("offset");
            return offset.isMissingNode() || offset.isNull() ? OptionalLong.empty() : OptionalLong.of(offset.asLong());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
