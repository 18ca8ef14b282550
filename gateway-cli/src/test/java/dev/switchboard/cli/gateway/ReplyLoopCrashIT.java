package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.gateway.KillRestartHarness.Kill;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reply loop survives SIGKILL (SPEC §6, docs/store.md "How crash safety is tested"): a steady
 * stream of messages on several conversations while the gateway JVM is killed and restarted at
 * random moments; in the end every message is answered once, in order per conversation, except
 * that a reply in flight at a kill may arrive twice. Rerun a failure with {@code -Dcrash.seed=N}.
 */
class ReplyLoopCrashIT {
    private static final int CONVERSATIONS = 8;
    private static final int MESSAGES = 500;
    private static final Duration MESSAGE_INTERVAL = Duration.ofMillis(30);
    private static final int KILLS = 5;
    private static final Duration MAX_UPTIME = Duration.ofSeconds(2);
    /** At least a moment down, so a request the killed JVM had written reaches the platform first. */
    private static final Duration MIN_DOWNTIME = Duration.ofMillis(100);

    private static final Duration MAX_DOWNTIME = Duration.ofMillis(400);
    private static final Duration DRAIN = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void everyMessageIsAnsweredOnceAcrossKillsExceptRepliesInFlight() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        try (FakePollingPlatform platform = new FakePollingPlatform();
                KillRestartHarness harness = KillRestartHarness.start(home, platform);
                MessageStream stream =
                        new MessageStream(platform, MESSAGES, CONVERSATIONS, MESSAGE_INTERVAL, seed + 1).start()) {
            for (int i = 0; i < KILLS; i++) {
                Thread.sleep(random.nextInt((int) MAX_UPTIME.toMillis() + 1)); // a random moment
                Kill kill = harness.killAndRestart(Duration.ofMillis(MIN_DOWNTIME.toMillis()
                        + random.nextInt((int) (MAX_DOWNTIME.toMillis() - MIN_DOWNTIME.toMillis()) + 1)));
                System.out.printf(
                        "kill %d (seed %d): %d repl(ies) undelivered in the store%n",
                        kill.number(), seed, kill.undelivered().size());
            }
            stream.awaitFinished(Duration.ofSeconds(60));

            ReplyAudit audit = stream.awaitDrained(harness, DRAIN);
            List<String> problems = audit.problems();
            System.out.printf(
                    "seed %d: %d messages, %d replies, %d kills, in flight at a kill: %s%n",
                    seed, stream.sent().size(), platform.deliveries().size(), KILLS, audit.inFlight());
            assertThat(problems)
                    .as(
                            "SPEC §6 violated with seed %d (rerun with -Dcrash.seed=%d):%n%s%s",
                            seed, seed, String.join("\n", problems), harness.describe())
                    .isEmpty();
            assertThat(harness.kills()).hasSize(KILLS);
        } catch (Exception e) {
            throw new AssertionError(
                    "crash test failed with seed " + seed + " (rerun with -Dcrash.seed=" + seed + ")", e);
        }
    }
}
