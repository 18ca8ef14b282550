package dev.switchboard.core.reload.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;
import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells its {@link Listener} when the config file's content changed. It watches the file's
 * directory, not the file, so editors that save by renaming a temp file over it (or that move the
 * original away and write a new one) are followed. A burst of events is one call, a debounce after
 * the last event; a change is a change of bytes (SHA-256), so a {@code touch} is not one.
 *
 * <p>Everything runs on one daemon thread, {@code config-watcher}: callbacks never overlap. While a
 * callback runs, the JDK keeps queueing the directory's events on its key (past its limit, as an
 * overflow, which counts as "maybe changed"), so a change made meanwhile is seen afterwards, as one
 * more call.
 */
public final class ConfigWatcher implements AutoCloseable {
    /** What the owner is told; called on the watcher's thread, one call at a time. */
    public interface Listener {
        /** The file's content changed (debounced, serialized). */
        void changed();

        /**
         * The file is gone or unreadable after retries, or the watcher stopped (its directory is gone,
         * the WatchService failed); the running config stays. Already logged at WARN.
         */
        void missing(String reason);
    }

    /** SPEC §8. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(300);

    /** Editors recreate a file they delete within moments; only a longer absence is reported. */
    static final Duration RETRY_INTERVAL = Duration.ofMillis(300);

    static final Duration RETRY_FOR = Duration.ofSeconds(3);

    /** How long close() waits for a callback in progress; the thread is a daemon either way. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Path name;
    private final long debounceNanos;
    private final long retryIntervalNanos;
    private final long retryForNanos;
    private final Listener listener;
    private final WatchService watchService;
    private final Thread thread;
    private final AtomicReference<byte @Nullable []> lastSeen;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong checks = new AtomicLong();
    private boolean directoryGone;
    private boolean missingReported;

    private ConfigWatcher(Path file, Duration debounce, Duration retryInterval, Duration retryFor, Listener listener) {
        this.file = file.toAbsolutePath().normalize();
        Path directory = this.file.getParent();
        Path fileName = this.file.getFileName();
        if (directory == null || fileName == null) {
            throw new IllegalArgumentException("file: " + file + " (expected: a file inside a directory)");
        }
        this.name = fileName;
        this.debounceNanos = positive("debounce", debounce);
        this.retryIntervalNanos = positive("retryInterval", retryInterval);
        this.retryForNanos = positive("retryFor", retryFor);
        this.listener = requireNonNull(listener, "listener is null");
        this.lastSeen = new AtomicReference<>(hashOrNull(this.file));
        try {
            this.watchService = directory.getFileSystem().newWatchService();
        } catch (IOException e) {
            throw cannotWatch(directory, e);
        }
        try {
            directory.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw cannotWatch(directory, e);
        }
        this.thread = new Thread(this::run, "config-watcher");
        thread.setDaemon(true);
    }

    /**
     * Watches {@code file} until {@link #close}; its content now is the one the owner runs with.
     *
     * @throws SwitchboardException when its directory cannot be watched (it does not exist, say)
     */
    public static ConfigWatcher start(Path file, Duration debounce, Listener listener) {
        return start(file, debounce, RETRY_INTERVAL, RETRY_FOR, listener);
    }

    /** With the retries of a missing file shortened, for tests. */
    static ConfigWatcher start(
            Path file, Duration debounce, Duration retryInterval, Duration retryFor, Listener listener) {
        requireNonNull(file, "file is null");
        ConfigWatcher watcher = new ConfigWatcher(file, debounce, retryInterval, retryFor, listener);
        watcher.thread.start();
        return watcher;
    }

    /**
     * Makes {@code content} the current one, so the file holding it is no change. The owner that writes
     * the file itself (config.apply) calls this before writing, so its own write is not a second reload.
     */
    public void accepted(byte[] content) {
        lastSeen.set(sha256(requireNonNull(content, "content is null")));
    }

    /** Stops watching; waits a bounded time for a callback in progress. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly();
        if (Thread.currentThread() == thread) {
            return; // closed from a callback: the loop ends when it returns
        }
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (thread.isAlive()) {
            log.warn(
                    "config watcher closed while a reload callback still runs after {} ms; not waiting for it",
                    CLOSE_WAIT.toMillis());
        }
    }

    /** How many times the file was read after a burst of events, for tests. */
    long checks() {
        return checks.get();
    }

    /** Whether the watcher's thread still runs, for tests. */
    boolean running() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (!directoryGone) {
                if (drain(watchService.take()) && quietFor(debounceNanos)) {
                    check();
                }
            }
            stop("the directory of the config file " + file + " is gone; the file is no longer watched");
        } catch (ClosedWatchServiceException | InterruptedException e) {
            if (!closed.get()) {
                stop("watching the config file " + file + " stopped (" + e + "); the file is no longer watched");
            }
        } catch (RuntimeException e) {
            stop("watching the config file " + file + " failed (" + e + "); the file is no longer watched");
        }
    }

    /**
     * Waits until {@code nanos} passed without an event for the file (each one starts the wait over).
     *
     * @return false when the directory went away meanwhile
     */
    private boolean quietFor(long nanos) throws InterruptedException {
        long quietUntil = System.nanoTime() + nanos;
        for (long left = nanos; !directoryGone; left = quietUntil - System.nanoTime()) {
            if (left <= 0) {
                return true;
            }
            WatchKey key = watchService.poll(left, TimeUnit.NANOSECONDS);
            if (key != null && drain(key)) {
                quietUntil = System.nanoTime() + nanos;
            }
        }
        return false;
    }

    /** Takes the key's events and re-arms it; whether one may have touched the file. */
    private boolean drain(WatchKey key) {
        boolean touched = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW || name.equals(event.context())) {
                log.debug("config file event {} on {}", event.kind().name(), file);
                touched = true;
            }
        }
        if (!key.reset()) {
            directoryGone = true;
        }
        return touched;
    }

    private void check() throws InterruptedException {
        try {
            byte[] content = readWithRetries();
            if (content == null) {
                return;
            }
            missingReported = false;
            byte[] hash = sha256(content);
            byte[] previous = lastSeen.getAndSet(hash);
            if (previous != null && MessageDigest.isEqual(previous, hash)) {
                log.debug("config file {} written with the same content; not a change", file);
                return;
            }
            log.info("config file {} changed", file);
            call("changed", listener::changed);
        } finally {
            checks.incrementAndGet();
        }
    }

    /** The file's bytes, or null when it stayed unreadable for the retries or its directory went away. */
    private byte @Nullable [] readWithRetries() throws InterruptedException {
        long giveUpAt = System.nanoTime() + retryForNanos;
        while (true) {
            IOException failure;
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                failure = e;
            }
            if (System.nanoTime() - giveUpAt >= 0) {
                reportMissing(failure);
                return null;
            }
            log.debug(
                    "config file {} not readable ({}); retrying",
                    file,
                    failure.getClass().getSimpleName());
            if (!quietFor(retryIntervalNanos)) {
                return null;
            }
        }
    }

    private void reportMissing(IOException failure) {
        if (missingReported) {
            return;
        }
        missingReported = true;
        String what = failure instanceof NoSuchFileException ? "is gone" : "cannot be read (" + failure + ")";
        String reason = "config file " + file + " " + what + " for "
                + Duration.ofNanos(retryForNanos).toMillis() + " ms; the running config stays";
        log.warn(reason);
        call("missing", () -> listener.missing(reason));
    }

    private void stop(String reason) {
        log.warn(reason);
        closeQuietly();
        call("missing", () -> listener.missing(reason));
    }

    /** A failing listener is logged; watching goes on. */
    private void call(String callback, Runnable invocation) {
        if (closed.get()) {
            return;
        }
        try {
            invocation.run();
        } catch (RuntimeException e) {
            log.warn("config watcher listener failed in {}(); still watching {}", callback, file, e);
        }
    }

    private void closeQuietly() {
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("closing the config file's WatchService failed", e);
        }
    }

    private static byte @Nullable [] hashOrNull(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            return null; // any content that appears is a change
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static long positive(String what, Duration value) {
        requireNonNull(value, what + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: more than 0)");
        }
        return value.toNanos();
    }

    private static SwitchboardException cannotWatch(Path directory, Exception e) {
        return new SwitchboardException(
                SwitchboardException.Kind.RUNTIME, "cannot watch the config directory " + directory + ": " + e, e);
    }
}
