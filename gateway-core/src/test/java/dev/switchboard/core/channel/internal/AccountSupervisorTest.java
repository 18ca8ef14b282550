package dev.switchboard.core.channel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.typesafe.config.ConfigFactory;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ScriptedChannelProvider;
import dev.switchboard.core.testing.LogCapture;
import dev.switchboard.core.testing.ManualClock;
import dev.switchboard.core.testing.SupervisorThreads;
import dev.switchboard.spi.AccountSettings;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AccountSupervisorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<InboundMessage> stored = new CopyOnWriteArrayList<>();
    private final InboundSink store = message -> {
        stored.add(message);
        return InboundSink.Result.ACCEPTED;
    };
    private final ChannelResources resources = new ChannelResources(
            new OkHttpClient(),
            scheduler,
            Clock.systemUTC(),
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(40)));
    private final List<AccountStatus> events = new CopyOnWriteArrayList<>();
    private final List<AccountSupervisor> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        started.forEach(AccountSupervisor::close);
        scheduler.shutdownNow();
    }

    @Test
    void failingAccountRetriesWithBackoffWhileTheOtherStaysConnected() {
        ScriptedChannelProvider provider =
                ScriptedChannelProvider.replyLoop("chat").failingStart("bad"::equals);
        AccountSupervisor bad = start(provider, "bad");
        AccountSupervisor good = start(provider, "good");

        await().atMost(WAIT).until(() -> bad.status().restarts() >= 3);
        assertThat(good.status().state()).isEqualTo(AccountState.CONNECTED);
        assertThat(provider.adapters("good")).hasSize(1);
        assertThat(bad.status().state()).isIn(AccountState.RECONNECTING, AccountState.STARTING);
        assertThat(bad.status().lastError())
                .hasValueSatisfying(error -> assertThat(error).contains("platform refused bad"));
        // every failed generation was closed before the next one started (one snapshot: the
        // supervisor goes on starting new ones meanwhile)
        List<ScriptedChannelProvider.ScriptedAdapter> adapters = provider.adapters("bad");
        assertThat(adapters.subList(0, adapters.size() - 1))
                .isNotEmpty()
                .allSatisfy(adapter -> assertThat(adapter.closed).isTrue());
    }

    @Test
    void recoversAfterTransientStartFailuresAndResetsBackoff() {
        ScriptedChannelProvider provider =
                ScriptedChannelProvider.replyLoop("chat").failingFirstStarts(2);
        AccountSupervisor account = start(provider, "main");

        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);
        assertThat(account.status().restarts()).isEqualTo(2);
        assertThat(account.status().lastError()).isPresent();
        assertThat(events).extracting(AccountStatus::state).contains(AccountState.RECONNECTING, AccountState.CONNECTED);
    }

    @Test
    void anAdapterThatConnectsAndDiesAtOnceBacksOffLongerEachTimeInsteadOfLooping() {
        ScriptedChannelProvider provider =
                ScriptedChannelProvider.replyLoop("chat").dyingAfterConnect(true);
        ChannelResources growing = new ChannelResources(
                new OkHttpClient(),
                scheduler,
                Clock.systemUTC(),
                new Backoff(Duration.ofMillis(10), Duration.ofSeconds(10)));
        AccountSupervisor account =
                new AccountSupervisor(provider, settings("main"), Optional.empty(), growing, events::add);
        started.add(account);
        account.start(store);

        await().atMost(WAIT).until(() -> provider.adapters("main").size() >= 7);
        List<ScriptedChannelProvider.ScriptedAdapter> adapters = provider.adapters("main");
        // restart n waits at least half of 10 ms * 2^n: the last three gaps alone take >= 280 ms, where
        // a backoff reset by every "connected" keeps each gap under 10 ms
        long lastThreeGapsMs = (adapters.get(6).createdAtNanos - adapters.get(3).createdAtNanos) / 1_000_000;
        assertThat(lastThreeGapsMs).isGreaterThanOrEqualTo(280);
        assertThat(account.consecutiveFailures()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void theBackoffStartsOverOnlyOnceTheAccountStayedConnectedForTheStablePeriod() {
        ScriptedChannelProvider provider =
                ScriptedChannelProvider.replyLoop("chat").dyingAfterConnect(true);
        ChannelResources stableSoon = new ChannelResources(
                new OkHttpClient(),
                scheduler,
                Clock.systemUTC(),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(40)),
                Duration.ofSeconds(2),
                Optional.empty(),
                Optional.empty());
        AccountSupervisor account =
                new AccountSupervisor(provider, settings("main"), Optional.empty(), stableSoon, events::add);
        started.add(account);
        account.start(store);
        await().atMost(WAIT).until(() -> provider.adapters("main").size() >= 3);
        provider.dyingAfterConnect(false); // the next generation stays connected

        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);
        assertThat(account.consecutiveFailures())
                .as("connected, but not for long yet")
                .isPositive();
        await().atMost(WAIT).until(() -> account.consecutiveFailures() == 0);
        assertThat(account.status().state()).isEqualTo(AccountState.CONNECTED);
    }

    @Test
    void asyncFailureClosesTheOldAdapterBeforeStartingANewOne() {
        ScriptedChannelProvider provider = ScriptedChannelProvider.replyLoop("chat");
        AccountSupervisor account = start(provider, "main");
        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);

        ScriptedChannelProvider.ScriptedAdapter first =
                provider.adapters("main").get(0);
        first.context.status().failed("connection reset", false);

        await().atMost(WAIT)
                .until(() -> provider.adapters("main").size() == 2
                        && account.status().state() == AccountState.CONNECTED);
        assertThat(first.closed).isTrue();
        assertThat(provider.maxOpen.get())
                .as("never two live adapters for one account")
                .isEqualTo(1);

        // the replaced generation can no longer change the account's state
        first.context.status().failed("late report from a dead poller", false);
        first.context.status().degraded("late");
        assertThat(account.status().state()).isEqualTo(AccountState.CONNECTED);
        assertThat(provider.adapters("main")).hasSize(2);
    }

    @Test
    void permanentFailureStopsRetrying() {
        ScriptedChannelProvider provider = ScriptedChannelProvider.replyLoop("chat");
        AccountSupervisor account = start(provider, "main");
        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);

        provider.adapters("main").get(0).context.status().failed("401 Unauthorized: token revoked", true);

        await().atMost(WAIT).until(() -> account.status().state() == AccountState.FAILED);
        SupervisorThreads.awaitNothingScheduled("chat", "main", WAIT);
        assertThat(provider.adapters("main")).hasSize(1);
        assertThat(account.status().restarts()).isZero();
        assertThat(account.status().state()).isEqualTo(AccountState.FAILED);
        assertThat(account.status().lastError()).contains("401 Unauthorized: token revoked");
    }

    @Test
    void secretValuesAreRedactedFromReportedErrors() {
        ScriptedChannelProvider provider =
                ScriptedChannelProvider.replyLoop("chat").failingStart(a -> true);
        AccountSupervisor account = start(provider, "main");

        await().atMost(WAIT).until(() -> account.status().lastError().isPresent());
        assertThat(account.status().lastError().get())
                .doesNotContain("s3cr3t-token-42")
                .contains("<redacted>");
        assertThat(events).allSatisfy(e -> assertThat(String.valueOf(e)).doesNotContain("s3cr3t-token-42"));
    }

    @Test
    void accountWithUnresolvedSecretIsDegradedAndNotStarted() {
        ScriptedChannelProvider provider = ScriptedChannelProvider.replyLoop("chat");
        AccountSupervisor account = new AccountSupervisor(
                provider, settings("main"), Optional.of("token: env CHAT_TOKEN is not set"), resources, events::add);
        started.add(account);
        account.start(store);

        assertThat(account.status().state()).isEqualTo(AccountState.DEGRADED);
        assertThat(account.status().lastError()).contains("token: env CHAT_TOKEN is not set");
        assertThat(provider.created).isEmpty();
    }

    @Test
    void allowlistDropsOtherConversationsAndCountsThem() {
        ScriptedChannelProvider provider = ScriptedChannelProvider.replyLoop("chat");
        AccountSupervisor account = start(provider, "main");
        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);
        InboundSink inbound = provider.adapters("main").get(0).context.inbound();

        assertThat(inbound.accept(message("100", "m1"))).isEqualTo(InboundSink.Result.ACCEPTED);
        assertThat(inbound.accept(message("999", "m2"))).isEqualTo(InboundSink.Result.DROPPED);

        assertThat(stored).extracting(InboundMessage::platformMessageId).containsExactly("m1");
        AccountStatus status = account.status();
        assertThat(status.inbound()).isEqualTo(1);
        assertThat(status.dropped()).isEqualTo(1);
        assertThat(status.lastInboundAt()).isPresent();
    }

    @Test
    void closeClosesTheAdapterAndStopsItsThread() {
        ScriptedChannelProvider provider = ScriptedChannelProvider.replyLoop("chat");
        AccountSupervisor account = start(provider, "main");
        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);

        account.close();
        account.close(); // idempotent

        assertThat(account.status().state()).isEqualTo(AccountState.STOPPED);
        assertThat(provider.adapters("main").get(0).closeCalls.get()).isEqualTo(1);
        // the pool reports termination a moment before its thread returns; it must be gone soon after
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("channel-chat-main") && thread.isAlive()));
    }

    @Test
    void aWaitShowsReconnectingWithWhenReceivingResumesUntilConnectedClearsIt() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        ScriptedChannelProvider provider = ScriptedChannelProvider.replyLoop("chat");
        AccountSupervisor account = start(provider, "main", clock);
        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);
        ChannelSupervisor channels = new ChannelSupervisor(List.of(account));

        provider.adapters("main").get(0).context.status().waiting("flood control (429)", Duration.ofSeconds(30));

        AccountStatus waiting = account.status();
        assertThat(waiting.state()).isEqualTo(AccountState.RECONNECTING);
        assertThat(waiting.lastError()).contains("flood control (429)");
        assertThat(waiting.resumesAt()).contains(Instant.parse("2026-01-01T00:00:30Z"));
        assertThat(waiting.stalled()).as("a 30 s wait is a pause, not a stall").isFalse();
        assertThat(channels.notReady()).isEmpty();
        assertThat(events).anySatisfy(e -> assertThat(e.resumesAt()).isPresent());

        provider.adapters("main").get(0).context.status().connected();

        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);
        assertThat(account.status().resumesAt()).isEmpty();
    }

    @Test
    void aWaitLongerThanAMinuteStallsTheAccountAndReadinessNamesItUntilItResumes() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        ScriptedChannelProvider provider = ScriptedChannelProvider.replyLoop("chat");
        AccountSupervisor account = start(provider, "main", clock);
        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);
        ChannelSupervisor channels = new ChannelSupervisor(List.of(account));

        provider.adapters("main").get(0).context.status().waiting("flood control (429)", Duration.ofHours(1));

        assertThat(account.status().stalled()).isTrue();
        assertThat(channels.notReady())
                .containsExactly("chat.main (stalled: receiving resumes at 2026-01-01T01:00:00Z: flood control (429))");
        clock.advance(Duration.ofMinutes(59));
        assertThat(account.status().stalled())
                .as("still waiting, for less than the stall limit now")
                .isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(account.status().stalled()).isFalse();
    }

    @Test
    void aSkipIsCountedAsDroppedAndLoggedOnceWithTheAccountAndRedacted() {
        ScriptedChannelProvider provider = ScriptedChannelProvider.replyLoop("chat");
        AccountSupervisor account = start(provider, "main");
        await().atMost(WAIT).until(() -> account.status().state() == AccountState.CONNECTED);

        try (LogCapture logs = LogCapture.attach(AccountSupervisor.class)) {
            provider.adapters("main").get(0).context.status().skipped("update 7: entity 0 is past the text");
            provider.adapters("main").get(0).context.status().skipped("update 8: s3cr3t-token-42 in it");

            assertThat(account.status().dropped()).isEqualTo(2);
            assertThat(logs.lines(Level.WARN))
                    .containsExactly(
                            "WARN chat.main: skipped update 7: entity 0 is past the text",
                            "WARN chat.main: skipped update 8: <redacted> in it");
        }
    }

    private AccountSupervisor start(ScriptedChannelProvider provider, String account) {
        return start(provider, account, resources);
    }

    private AccountSupervisor start(ScriptedChannelProvider provider, String account, Clock clock) {
        return start(
                provider,
                account,
                new ChannelResources(
                        new OkHttpClient(),
                        scheduler,
                        clock,
                        new Backoff(Duration.ofMillis(10), Duration.ofMillis(40))));
    }

    private AccountSupervisor start(ScriptedChannelProvider provider, String account, ChannelResources with) {
        AccountSupervisor supervisor =
                new AccountSupervisor(provider, settings(account), Optional.empty(), with, events::add);
        started.add(supervisor);
        supervisor.start(store);
        return supervisor;
    }

    private static AccountSettings settings(String account) {
        return new AccountSettings(
                "chat",
                account,
                ConfigFactory.parseMap(Map.of("allowed_ids", List.of(100, 200))),
                Map.of("token", Secret.of("s3cr3t-token-42")));
    }

    private static InboundMessage message(String conversation, String id) {
        return new InboundMessage("chat", "main", conversation, Optional.empty(), "u1", id, "hi", Instant.now());
    }
}
