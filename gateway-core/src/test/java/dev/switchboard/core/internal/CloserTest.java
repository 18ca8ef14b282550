package dev.switchboard.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloserTest {
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseHungSteps() {
        release.countDown();
    }

    @Test
    void closesInReverseOrderAndEveryStepRunsWhateverTheOthersDid() {
        Closer closer = new Closer();
        closer.registerEssential("owner lock", () -> closed.add("owner lock"));
        closer.register("store", () -> {
            closed.add("store");
            throw new IllegalStateException("disk full");
        });
        closer.register("server", () -> closed.add("server"));
        closer.register("owner record", () -> {
            closed.add("owner record");
            throw new NoSuchFileException("/state/gateway/owner.json");
        });

        Closer.Outcome outcome = closer.close(Duration.ofSeconds(10), "test-close");

        assertThat(closed).containsExactly("owner record", "server", "store", "owner lock");
        assertThat(outcome.failed()).containsExactly("owner record", "store");
        assertThat(outcome.hung()).isEmpty();
        assertThat(outcome.describe()).isEqualTo("failed: owner record, store");
    }

    @Test
    void aStepThatHangsIsAbandonedAtTheDeadlineAndTheEssentialStepsStillRun() {
        Closer closer = new Closer();
        closer.registerEssential("owner lock", () -> closed.add("owner lock"));
        closer.register("store", () -> closed.add("store"));
        closer.registerEssential("server", () -> closed.add("server"));
        closer.register("channels", () -> {
            closed.add("channels (hanging)");
            awaitUninterruptibly(release);
        });
        closer.register("shutdown event", () -> closed.add("shutdown event"));

        Closer.Outcome outcome = assertTimeoutPreemptively(
                Duration.ofSeconds(8), () -> closer.close(Duration.ofMillis(500), "test-close"));

        assertThat(closed).containsExactly("shutdown event", "channels (hanging)", "server", "owner lock");
        assertThat(outcome.hung()).contains("channels");
        assertThat(outcome.notStarted()).containsExactly("store");
        assertThat(outcome.describe()).isEqualTo("did not finish: channels; not started: store");
    }

    @Test
    void onlyTheFirstCloseClosesAndNothingRegistersAfterIt() {
        Closer closer = new Closer();
        closer.register("server", () -> closed.add("server"));
        closer.close(Duration.ofSeconds(1), "test-close");
        Closer.Outcome second = closer.close(Duration.ofSeconds(1), "test-close");

        assertThat(closed).containsExactly("server");
        assertThat(second.clean()).isTrue();
        assertThatThrownBy(() -> closer.register("late", () -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("late");
    }

    @Test
    void describesFailuresForAnOperator() {
        assertThat(Failures.describe(new NoSuchFileException("/state/gateway/owner.json")))
                .isEqualTo("no such file: /state/gateway/owner.json");
        assertThat(Failures.describe(new IOException("Too many open files"))).isEqualTo("Too many open files");
        assertThat(Failures.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // a stuck disk ignores interrupts too
            }
        }
    }
}
