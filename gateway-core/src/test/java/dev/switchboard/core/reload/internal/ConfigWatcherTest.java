package dev.switchboard.core.reload.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.testing.LogCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real files in a temp directory, the JDK's WatchService. Each callback is recorded with the file's
 * content at that moment ({@code changed:<content>}) or the reason ({@code missing:<reason>}); a
 * test that expects no callback for a step then makes a real change and asserts that the next
 * callback is that one.
 */
class ConfigWatcherTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(100);
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    private Path file;
    private final BlockingQueue<String> callbacks = new LinkedBlockingQueue<>();
    private final List<ConfigWatcher> watchers = new ArrayList<>();

    @BeforeEach
    void writeConfig() throws IOException {
        file = dir.resolve("switchboard.toml");
        write(file, "old");
    }

    @AfterEach
    void closeWatchers() {
        watchers.forEach(ConfigWatcher::close);
    }

    @Test
    void anOverwriteIsOneCallback() throws Exception {
        watch(DEBOUNCE);

        write(file, "new");

        assertThat(next()).isEqualTo("changed:new");
        assertNextChangeIsTheOnlyCallback();
    }

    @Test
    void aBurstOfWritesIsOneCallbackAfterTheLast() throws Exception {
        watch(ConfigWatcher.DEFAULT_DEBOUNCE);

        for (int i = 1; i <= 5; i++) {
            write(file, "edit " + i);
            Thread.sleep(20);
        }

        assertThat(next()).isEqualTo("changed:edit 5");
        assertNextChangeIsTheOnlyCallback();
    }

    @Test
    void aTempFileRenamedOverTheFileIsOneCallback() throws Exception {
        watch(DEBOUNCE);

        Path temp = dir.resolve(".switchboard.toml.tmp");
        write(temp, "new");
        Files.move(temp, file, ATOMIC_MOVE, REPLACE_EXISTING);

        assertThat(next()).isEqualTo("changed:new");
        assertNextChangeIsTheOnlyCallback();
    }

    @Test
    void theOriginalMovedAwayAndANewFileWrittenIsOneCallbackAndNeverMissing() throws Exception {
        watch(DEBOUNCE);

        Files.move(file, dir.resolve("switchboard.toml~"));
        Thread.sleep(3 * DEBOUNCE.toMillis()); // a slow editor: the file is absent past the debounce
        write(file, "new");

        assertThat(next()).isEqualTo("changed:new");
        assertNextChangeIsTheOnlyCallback();
    }

    @Test
    void aTouchOrTheSameBytesWrittenAgainIsNoCallback() throws Exception {
        ConfigWatcher watcher = watch(DEBOUNCE);

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
        awaitChecks(watcher, 1);
        write(file, "old");
        awaitChecks(watcher, 2);
        write(file, "new");

        assertThat(next()).as("the first callback").isEqualTo("changed:new");
    }

    @Test
    void contentTheOwnerAcceptedIsNoCallbackWhenWritten() throws Exception {
        ConfigWatcher watcher = watch(DEBOUNCE);

        watcher.accepted("applied".getBytes(UTF_8));
        write(file, "applied");
        awaitChecks(watcher, 1);
        write(file, "edited");

        assertThat(next()).as("the first callback").isEqualTo("changed:edited");
    }

    @Test
    void aDeletedFileIsMissingOnceAfterTheRetriesAndChangedWhenItComesBack() throws Exception {
        ConfigWatcher watcher =
                ConfigWatcher.start(file, DEBOUNCE, Duration.ofMillis(50), Duration.ofMillis(500), new Recording());
        watchers.add(watcher);

        Files.delete(file);
        assertThat(next()).startsWith("missing:").contains(file.toString(), "is gone", "the running config stays");

        awaitChecks(watcher, 1);
        write(file, "short-lived");
        Files.delete(file); // an event for the file while it is still missing: not reported again
        awaitChecks(watcher, 2);
        write(file, "new");

        assertThat(next()).isEqualTo("changed:new");
        assertThat(watcher.running()).isTrue();
    }

    @Test
    void aListenerThatThrowsIsLoggedAndWatchingGoesOn() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        try (LogCapture log = LogCapture.attach(ConfigWatcher.class)) {
            watch(DEBOUNCE, new Recording() {
                @Override
                public void changed() {
                    super.changed();
                    if (thrown.compareAndSet(false, true)) {
                        throw new IllegalStateException("reload blew up");
                    }
                }
            });

            write(file, "first");
            assertThat(next()).isEqualTo("changed:first");
            write(file, "second");

            assertThat(next()).isEqualTo("changed:second");
            assertThat(log.lines(Level.WARN))
                    .anySatisfy(line -> assertThat(line).contains("listener failed in changed()", "still watching"));
        }
    }

    @Test
    void callbacksNeverOverlapAndChangesDuringOneMakeExactlyOneMore() throws Exception {
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        watch(DEBOUNCE, new Recording() {
            @Override
            public void changed() {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    super.changed();
                    inFirst.countDown();
                    awaitLatch(releaseFirst);
                } finally {
                    running.decrementAndGet();
                }
            }
        });

        write(file, "first");
        awaitLatch(inFirst);
        for (int i = 1; i <= 3; i++) {
            write(file, "during " + i);
            Thread.sleep(20);
        }
        Thread.sleep(5 * DEBOUNCE.toMillis()); // the slow callback: a second one would start meanwhile
        releaseFirst.countDown();

        assertThat(next()).isEqualTo("changed:first");
        assertThat(next()).isEqualTo("changed:during 3");
        assertNextChangeIsTheOnlyCallback();
        assertThat(mostAtOnce.get()).as("callbacks running at once").isEqualTo(1);
        assertThat(Thread.getAllStackTraces().keySet())
                .anySatisfy(thread -> assertThat(thread.getName()).isEqualTo("config-watcher"));
    }

    @Test
    void otherFilesInTheDirectoryNeverPostponeOrTriggerACallback() throws Exception {
        watch(ConfigWatcher.DEFAULT_DEBOUNCE);
        Path other = dir.resolve("other.toml");
        AtomicBoolean churning = new AtomicBoolean(true);
        Thread churn = new Thread(() -> {
            for (int i = 0; churning.get(); i++) {
                try {
                    write(other, "other " + i);
                    Thread.sleep(20);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        churn.start();
        try {
            write(file, "new");

            assertThat(next())
                    .as("the first callback, while another file changes every 20 ms")
                    .isEqualTo("changed:new");
        } finally {
            churning.set(false);
            churn.join();
        }
    }

    @Test
    void closeStopsTheThreadAndIsIdempotent() throws Exception {
        ConfigWatcher watcher = watch(DEBOUNCE);

        watcher.close();

        assertThat(watcher.running()).as("the watcher thread after close()").isFalse();
        watcher.close();
    }

    @Test
    void closeFromACallbackStopsTheWatcherWithoutWaitingForItself() throws Exception {
        try (LogCapture log = LogCapture.attach(ConfigWatcher.class)) {
            ConfigWatcher[] self = new ConfigWatcher[1];
            CountDownLatch closedInCallback = new CountDownLatch(1);
            self[0] = watch(DEBOUNCE, new Recording() {
                @Override
                public void changed() {
                    self[0].close(); // an in-process restart closes the watcher from its own callback
                    closedInCallback.countDown();
                }
            });

            write(file, "new");
            awaitLatch(closedInCallback);

            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !self[0].running());
            assertThat(log.lines(Level.WARN))
                    .as("a close() that waited for its own callback")
                    .isEmpty();
        }
    }

    @Test
    void aGoneDirectoryIsReportedAndStopsTheWatcher() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("conf"));
        Path inSub = sub.resolve("switchboard.toml");
        write(inSub, "old");
        ConfigWatcher watcher = ConfigWatcher.start(inSub, DEBOUNCE, new Recording());
        watchers.add(watcher);

        Files.delete(inSub);
        Files.delete(sub);

        assertThat(next()).startsWith("missing:").contains(sub.toString(), "gone", "no longer watched");
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !watcher.running());
    }

    @Test
    void aFileInADirectoryThatDoesNotExistCannotBeWatched() {
        Path nowhere = dir.resolve("nowhere").resolve("switchboard.toml");

        assertThatThrownBy(() -> ConfigWatcher.start(nowhere, DEBOUNCE, new Recording()))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("cannot watch the config directory " + nowhere.getParent());
    }

    /** Records each callback with the file's content at that moment. */
    private class Recording implements ConfigWatcher.Listener {
        @Override
        public void changed() {
            String content;
            try {
                content = Files.readString(file);
            } catch (NoSuchFileException e) {
                content = "<absent>";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            callbacks.add("changed:" + content);
        }

        @Override
        public void missing(String reason) {
            callbacks.add("missing:" + reason);
        }
    }

    private ConfigWatcher watch(Duration debounce) {
        return watch(debounce, new Recording());
    }

    private ConfigWatcher watch(Duration debounce, ConfigWatcher.Listener listener) {
        ConfigWatcher watcher = ConfigWatcher.start(file, debounce, listener);
        watchers.add(watcher);
        return watcher;
    }

    /** The sentinel: a real change, whose callback must be the very next one. */
    private void assertNextChangeIsTheOnlyCallback() throws Exception {
        write(file, "sentinel");
        assertThat(next()).as("the callback after the sentinel change").isEqualTo("changed:sentinel");
    }

    private String next() throws InterruptedException {
        String callback = callbacks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(callback).as("a callback within %s s", WAIT_SECONDS).isNotNull();
        return callback;
    }

    private static void awaitChecks(ConfigWatcher watcher, long checks) {
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> watcher.checks() >= checks);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("latch").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void write(Path path, String content) throws IOException {
        Files.writeString(path, content);
    }
}
