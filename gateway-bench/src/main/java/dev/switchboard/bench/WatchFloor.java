package dev.switchboard.bench;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * The JDK WatchService's own latency, with no gateway: the time from just before a save to the first
 * event naming the file, in a directory watched the way the gateway's config watcher watches its
 * own (create, modify, delete on the directory). What no watcher built on it can beat.
 */
final class WatchFloor {
    /** Events arriving after this long of silence are not part of the save just measured. */
    private static final long SETTLE_MILLIS = 50;

    private static final long TIMEOUT_SECONDS = 10;

    private WatchFloor() {}

    /** {@code warmup} unrecorded saves, then {@code saves} recorded ones, of {@code file} (its directory must exist). */
    static Latencies measure(Path file, Editor editor, int warmup, int saves) throws IOException, InterruptedException {
        Path name = requireNonNull(file.getFileName(), "file has no name");
        Path directory = requireNonNull(file.toAbsolutePath().getParent(), "file has no directory");
        Latencies latencies = new Latencies();
        try (WatchService watcher = directory.getFileSystem().newWatchService()) {
            directory.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
            for (int i = 0; i < warmup + saves; i++) {
                settle(watcher);
                long start = System.nanoTime();
                editor.save(file, "# save " + i + "\n");
                long took = awaitEventFor(watcher, name) - start;
                if (i >= warmup) {
                    latencies.record(took);
                }
            }
        }
        return latencies;
    }

    /** When the first event naming {@code name} (or an overflow) arrived. */
    private static long awaitEventFor(WatchService watcher, Path name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            WatchKey key = watcher.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            long at = System.nanoTime();
            if (key == null) {
                throw new IllegalStateException(
                        "the WatchService reported no event for " + name + " within " + TIMEOUT_SECONDS + " s");
            }
            boolean ours = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                ours |= event.kind() == OVERFLOW || name.equals(event.context());
            }
            key.reset();
            if (ours) {
                return at;
            }
        }
    }

    /** Drains the events of the previous save (a write is a truncate and a write: two events). */
    private static void settle(WatchService watcher) throws InterruptedException {
        for (WatchKey key = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
                key != null;
                key = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) {
            key.pollEvents();
            key.reset();
        }
    }
}
