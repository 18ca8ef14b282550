package dev.switchboard.channel.telegram;

import static dev.switchboard.channel.telegram.TelegramGateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.testkit.logging.LogCapture;
import dev.switchboard.testkit.telegram.ApiCall;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import dev.switchboard.testkit.telegram.Fault;
import dev.switchboard.testkit.telegram.SentMessage;
import dev.switchboard.testkit.telegram.TgChat;
import dev.switchboard.testkit.telegram.TgMessage;
import dev.switchboard.testkit.telegram.TgUser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Updates a broken server or proxy might send, through the real gateway: each is skipped (counted as
 * dropped, logged once by its update id, never its text), the message after it is answered, and the
 * account is never restarted for it.
 */
class TelegramPoisonIT {
    private static final String ALLOWED = "allowed_chat_ids = [42]";
    /** The poison messages' text: it must never reach a log line. */
    private static final String POISON_TEXT = "poison-text-that-must-not-be-logged";

    @TempDir
    Path stateDir;

    private FakeTelegram telegram;
    private FakeBot bot;
    private TgUser ann;
    private TgChat annChat;
    private LogCapture logs;
    private final List<TelegramGateway> gateways = new ArrayList<>();

    @BeforeEach
    void setUp() {
        logs = LogCapture.attach();
        telegram = FakeTelegram.start();
        bot = telegram.addBot(FakeTelegram.newToken(555000111L), "ops_bot");
        ann = bot.user(42, "Ann");
        annChat = bot.privateChat(ann);
    }

    @AfterEach
    void tearDown() {
        gateways.forEach(TelegramGateway::close);
        telegram.close();
        logs.close();
        assertThat(logs.lines()).noneMatch(line -> line.contains(POISON_TEXT));
        assertThat(logs.lines()).noneMatch(line -> line.contains(bot.token()));
    }

    private TelegramGateway startConnected() {
        TelegramGateway gateway = TelegramGateway.start(stateDir, telegram.apiBaseUrl(), bot, ALLOWED);
        gateways.add(gateway);
        return gateway.awaitState(AccountState.CONNECTED);
    }

    @ParameterizedTest(name = "entity at offset {0}")
    @ValueSource(strings = {"2147483647+10", "-1+3", "33+5", "0+0"})
    void anUpdateWithAnEntityOutsideItsTextIsSkippedAndTheNextMessageAnswered(String entity) {
        TelegramGateway gateway = startConnected();
        long offset = Long.parseLong(entity.substring(0, entity.indexOf('+')));
        long length = Long.parseLong(entity.substring(entity.indexOf('+') + 1));

        TgMessage poison = bot.userSaysWithEntity(annChat, ann, POISON_TEXT, offset, length);

        assertAnsweredAfterSkipping(gateway, poison.updateId(), "entity 0: offset " + offset + " + length " + length);
    }

    @ParameterizedTest(name = "update_id {0}")
    @ValueSource(strings = {"\"583000009\"", "5.5", "-1", "9007199254740993", "null"})
    void anUpdateWithAnUnusableIdFollowedByAGoodOneIsSkipped(String updateId) {
        // both are waiting when the account starts: they arrive in one page
        TgMessage poison = bot.userSaysWithUpdateId(annChat, ann, POISON_TEXT, updateId);
        TgMessage hello = bot.userSays(annChat, ann, "hello");
        TelegramGateway gateway = startConnected();

        SentMessage reply = bot.awaitSent(1, WAIT).get(0);
        assertThat(reply.text()).isEqualTo("hello");
        await().atMost(WAIT).until(() -> bot.confirmedOffset() == hello.updateId() + 1);
        await().atMost(WAIT).until(() -> gateway.account().dropped() == 1);
        assertThat(skipLines()).singleElement().satisfies(line -> assertThat(line)
                .contains("skipped update #1 of the page: update_id " + shortened(updateId) + " is not usable"));
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly("hello");
        assertThat(gateway.account().restarts()).isZero();
        assertThat(poison.updateId()).isLessThan(hello.updateId());
    }

    @Test
    void aPageOfOnlyUnusableIdsIsDegradedWithBackoffUntilAGoodUpdateFollows() {
        TelegramGateway gateway = startConnected();

        bot.userSaysWithUpdateId(annChat, ann, POISON_TEXT, "\"abc\"");

        await().atMost(WAIT).until(() -> gateway.account().state() == AccountState.DEGRADED);
        assertThat(gateway.account().lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("1 update(s) that cannot be confirmed")
                .contains("update_id \"abc\" is not usable")
                .contains("polling again with backoff"));
        int polls = bot.callCount("getUpdates");
        await().atMost(WAIT).until(() -> bot.callCount("getUpdates") >= polls + 2);
        // backoff, not a hot loop: every poll that fetched the page again waited for the one before
        List<Instant> retries = bot.calls().stream()
                .filter(call -> call.method().equalsIgnoreCase("getUpdates"))
                .skip(polls - 1)
                .map(ApiCall::at)
                .toList();
        for (int i = 1; i < retries.size(); i++) {
            assertThat(Duration.between(retries.get(i - 1), retries.get(i)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }

        bot.userSays(annChat, ann, "hello");

        assertThat(bot.awaitSent(1, WAIT).get(0).text()).isEqualTo("hello");
        gateway.awaitState(AccountState.CONNECTED);
        await().atMost(WAIT).until(() -> gateway.account().dropped() == 1);
        assertThat(gateway.account().restarts()).isZero();
    }

    @Test
    void anUpdateNestedPastTheParsersLimitIsSkippedByItsIdAndItsNeighboursAreRead() {
        TgMessage before = bot.userSays(annChat, ann, "before");
        TgMessage poison = bot.userSaysDeeplyNested(annChat, ann, POISON_TEXT, 1500);
        TgMessage after = bot.userSays(annChat, ann, "after");
        TelegramGateway gateway = startConnected();

        await().atMost(WAIT).until(() -> bot.sent().size() >= 2);
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly("before", "after");
        await().atMost(WAIT).until(() -> bot.confirmedOffset() == after.updateId() + 1);
        await().atMost(WAIT).until(() -> gateway.account().dropped() == 1);
        assertThat(skipLines()).singleElement().satisfies(line -> assertThat(line)
                .contains("skipped update " + poison.updateId() + ": it nests JSON deeper than 1000 levels"));
        assertThat(gateway.account().restarts()).isZero();
        assertThat(before.updateId()).isLessThan(poison.updateId());
        assertThat(logs.lines()).noneMatch(line -> line.contains("not a Bot API answer"));
    }

    @Test
    void aPageTooDeepToParseOrCutIsDegradedNamingTheLimitAndBacksOff() {
        TelegramGateway gateway = startConnected();

        bot.rawUpdate("[".repeat(1500)); // never closed: not even the updates can be told apart

        await().atMost(WAIT).until(() -> gateway.account().state() == AccountState.DEGRADED);
        assertThat(gateway.account().lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("getUpdates: the answer cannot be parsed (it nests JSON deeper than 1000 levels, the JSON"
                        + " parser's limit (StreamReadConstraints.maxNestingDepth))")
                .contains("retrying with backoff"));
        int polls = bot.callCount("getUpdates");
        await().atMost(WAIT).until(() -> bot.callCount("getUpdates") >= polls + 2);
        List<Instant> retries = bot.calls().stream()
                .filter(call -> call.method().equalsIgnoreCase("getUpdates"))
                .skip(polls - 1)
                .map(ApiCall::at)
                .toList();
        for (int i = 1; i < retries.size(); i++) {
            assertThat(Duration.between(retries.get(i - 1), retries.get(i)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
        assertThat(gateway.account().state()).isEqualTo(AccountState.DEGRADED);
        assertThat(gateway.account().restarts()).isZero();
        assertThat(logs.lines()).noneMatch(line -> line.contains("not a Bot API answer"));
    }

    @Test
    void aHugeRetryAfterIsCappedAtAnHourShownAsTheWaitAndMakesReadyzNameTheStalledAccount() {
        TelegramGateway gateway = startConnected();
        assertThat(gateway.readyz()).startsWith("200 ");

        bot.failNext("getUpdates", 1, Fault.tooManyRequests(1L << 31));
        Instant asked = Instant.now();

        await().atMost(WAIT).until(() -> gateway.account().resumesAt().isPresent());
        AccountStatus waiting = gateway.account();
        assertThat(waiting.state()).isEqualTo(AccountState.RECONNECTING);
        assertThat(waiting.resumesAt().orElseThrow())
                .isBetween(asked.plus(Duration.ofMinutes(59)), asked.plus(Duration.ofMinutes(61)));
        assertThat(waiting.lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("Telegram flood control on getUpdates (429): waiting 3600 s")
                .contains("retry_after 2147483648 s, capped at 3600 s"));
        assertThat(waiting.stalled()).isTrue();
        assertThat(gateway.readiness().ready()).isFalse();
        assertThat(gateway.readiness().waiting()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("telegram.main (stalled: receiving resumes at "));
        assertThat(gateway.readyz()).startsWith("503 ").contains("telegram.main (stalled: receiving resumes at");
        assertThat(gateway.account().restarts()).isZero();
    }

    @Test
    void aShortRetryAfterIsAVisiblePauseAfterWhichTheNextMessageIsAnswered() {
        TelegramGateway gateway = startConnected();

        bot.failNext("getUpdates", 1, Fault.tooManyRequests(2));

        await().atMost(WAIT).until(() -> gateway.account().resumesAt().isPresent());
        assertThat(gateway.account().stalled()).isFalse();
        assertThat(gateway.account().lastError())
                .hasValueSatisfying(error -> assertThat(error).contains("waiting 2 s as retry_after asks"));
        bot.userSays(annChat, ann, "after the pause");
        assertThat(bot.awaitSent(1, WAIT).get(0).text()).isEqualTo("after the pause");
        gateway.awaitState(AccountState.CONNECTED);
        assertThat(gateway.account().resumesAt()).isEmpty();
    }

    /** The poison update was skipped, counted, logged once by its id; the message after it is answered. */
    private void assertAnsweredAfterSkipping(TelegramGateway gateway, int poisonUpdateId, String why) {
        TgMessage hello = bot.userSays(annChat, ann, "hello");
        SentMessage reply = bot.awaitSent(1, WAIT).get(0);
        assertThat(reply.text()).isEqualTo("hello");
        assertThat(bot.sent()).extracting(SentMessage::text).containsExactly("hello");
        await().atMost(WAIT).until(() -> bot.confirmedOffset() == hello.updateId() + 1);
        await().atMost(WAIT).until(() -> gateway.account().dropped() == 1);
        assertThat(gateway.account().restarts())
                .as("no restart for a poison update")
                .isZero();
        assertThat(gateway.account().state()).isEqualTo(AccountState.CONNECTED);
        assertThat(skipLines()).singleElement().satisfies(line -> assertThat(line)
                .contains("telegram.main: skipped update " + poisonUpdateId + ": " + why));
    }

    private List<String> skipLines() {
        return logs.lines().stream().filter(line -> line.contains(": skipped ")).toList();
    }

    private static String shortened(String json) {
        Function<String, String> shown = text -> text.length() <= 40 ? text : text.substring(0, 37) + "...";
        return shown.apply(json);
    }
}
