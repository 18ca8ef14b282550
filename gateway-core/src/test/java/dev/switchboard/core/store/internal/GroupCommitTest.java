package dev.switchboard.core.store.internal;

import static dev.switchboard.core.store.internal.StoreFixtures.T0;
import static dev.switchboard.core.store.internal.StoreFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest extends StoreTestBase {
    @Test
    void transactionsQueuedTogetherCommitTogetherAndAFailingOneRollsBackAlone() throws Exception {
        try (Store store = Store.open(url(dir), new ManualClock(T0))) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // holds the writer, so the transactions below queue up and run as one batch; they are
            // queued only once it holds it (queued first, one of them could commit alone before it)
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> store.atomically("hold", () -> {
                holding.countDown();
                awaitQuietly(release);
                return null;
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS))
                    .as("the writer runs the holding transaction")
                    .isTrue();
            List<CompletableFuture<?>> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String account = "bot_" + i;
                queued.add(CompletableFuture.runAsync(() -> store.atomically("put " + account, () -> {
                    store.cursors().put("telegram", account, "offset", "1");
                    if (account.equals("bot_2")) {
                        throw new IllegalStateException("bot_2 fails after its write");
                    }
                    return null;
                })));
            }
            // the holder and the five wait for the writer: their transactions are queued
            await().atMost(Duration.ofSeconds(10)).until(() -> threadsWaitingForTheWriter() >= 6);
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);

            for (int i = 0; i < 5; i++) {
                CompletableFuture<?> future = queued.get(i);
                await().atMost(Duration.ofSeconds(10)).until(future::isDone);
                assertThat(future.isCompletedExceptionally()).isEqualTo(i == 2);
                assertThat(store.cursors().get("telegram", "bot_" + i, "offset"))
                        .isEqualTo(i == 2 ? java.util.Optional.empty() : java.util.Optional.of("1"));
            }
        }
    }

    @Test
    void closeRunsWhatIsQueuedThenRefusesMore() {
        Store store = Store.open(url(dir), new ManualClock(T0));
        store.cursors().put("telegram", "bot_a", "offset", "7");
        store.close();

        try (Store reopened = Store.open(url(dir), new ManualClock(T0))) {
            assertThat(reopened.cursors().get("telegram", "bot_a", "offset")).contains("7");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.cursors().get("telegram", "bot_a", "offset"))
                .hasMessageContaining("is closed");
    }

    /** Threads inside {@code GroupCommitter.await}: each has queued its transaction and waits for its commit. */
    private static long threadsWaitingForTheWriter() {
        return Thread.getAllStackTraces().values().stream()
                .filter(frames -> Arrays.stream(frames)
                        .anyMatch(frame -> frame.getClassName().equals(GroupCommitter.class.getName())
                                && frame.getMethodName().equals("await")))
                .count();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
