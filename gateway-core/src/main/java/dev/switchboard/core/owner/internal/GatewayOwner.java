package dev.switchboard.core.owner.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.internal.Failures;
import dev.switchboard.core.owner.OwnerConflictException;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerRecord.Phase;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway's ownership of a state directory: an OS lock on {@code owner.lock} held for the
 * owner's whole life, the {@code owner.json} record and the {@code control.token}. Thread-safe.
 *
 * <p>The kernel releases the lock when the process dies, so a crashed owner never blocks the next
 * start; its {@code owner.json} stays behind in a live phase and is reclaimed silently.
 */
public final class GatewayOwner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayOwner.class);

    /** How long to retry a lock that an inspecting process may be probing at that instant. */
    private static final int LOCK_ATTEMPTS = 5;

    private static final long LOCK_RETRY_MILLIS = 50;

    private final OwnerPaths paths;
    private final Clock clock;
    private final FileChannel channel;
    private final FileLock lock;
    private final Path lockKey;
    private final String controlToken;

    private final Object writeLock = new Object();
    private OwnerRecord current;
    private boolean closed;
    private @Nullable ScheduledFuture<?> heartbeat;
    /** Only the scheduler's heartbeat task reads and writes it. */
    private boolean heartbeatFailing;

    private GatewayOwner(
            OwnerPaths paths,
            Clock clock,
            FileChannel channel,
            FileLock lock,
            Path lockKey,
            OwnerRecord current,
            String controlToken) {
        this.paths = paths;
        this.clock = clock;
        this.channel = channel;
        this.lock = lock;
        this.lockKey = lockKey;
        this.current = current;
        this.controlToken = controlToken;
    }

    /**
     * Makes this process the owner of {@code paths.stateDir()}.
     *
     * <p>The identity fields of {@code initial} are replaced by the truth: a fresh {@code instanceId},
     * this process's {@code pid} and {@code pidStartTime}, the {@code stateDir} of {@code paths}, and
     * {@code startedAt}/{@code heartbeatAt} from {@code clock}. Everything else is written as given.
     *
     * @throws OwnerConflictException when another live process, or this JVM, already owns it
     * @throws SwitchboardException (runtime) when the owner files cannot be created
     */
    public static GatewayOwner acquire(OwnerPaths paths, OwnerRecord initial, Clock clock) {
        requireNonNull(paths, "paths is null");
        requireNonNull(initial, "initial is null");
        requireNonNull(clock, "clock is null");
        Path lockKey;
        try {
            OwnerFiles.createPrivateDirIfMissing(paths.stateDir());
            OwnerFiles.ensurePrivateDir(paths.gatewayDir());
            lockKey = OwnerFiles.lockKey(paths.lockFile())
                    .orElseThrow(() -> new IOException("cannot resolve " + paths.gatewayDir()));
        } catch (IOException e) {
            throw failure("cannot create " + paths.gatewayDir(), e);
        }
        // Never open a second descriptor on a lock this JVM holds: closing it would drop the lock.
        if (!OwnerFiles.registerHeld(lockKey)) {
            throw conflict(paths);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(
                    paths.lockFile(),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    OwnerFiles.privateFile());
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                OwnerFiles.unregisterHeld(lockKey);
                throw conflict(paths);
            }
            GatewayOwner owner = start(paths, initial, clock, channel, lock, lockKey);
            channel = null;
            return owner;
        } catch (IOException e) {
            closeQuietly(channel);
            OwnerFiles.unregisterHeld(lockKey);
            throw failure("cannot acquire " + paths.lockFile(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            OwnerFiles.unregisterHeld(lockKey);
            throw e;
        }
    }

    private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
        for (int attempt = 1; ; attempt++) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return null; // held through another channel of this JVM that bypassed the registry
            }
            if (lock != null || attempt == LOCK_ATTEMPTS) {
                return lock;
            }
            // `gateway status` in another process holds it for a moment while probing
            try {
                Thread.sleep(LOCK_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static GatewayOwner start(
            OwnerPaths paths, OwnerRecord initial, Clock clock, FileChannel channel, FileLock lock, Path lockKey)
            throws IOException {
        OwnerFiles.Read previous = OwnerFiles.read(paths.ownerFile());
        previous.owner()
                .filter(p -> p.phase().live())
                .ifPresent(
                        p -> log.info("reclaimed stale gateway owner (pid {}, instance {})", p.pid(), p.instanceId()));
        previous.problem().ifPresent(p -> log.info("replacing unreadable gateway owner record: {}", p));

        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ProcessHandle self = ProcessHandle.current();
        OwnerRecord record = initial.toBuilder()
                .instanceId(OwnerRecord.newInstanceId())
                .pid(self.pid())
                .pidStartTime(OwnerRecord.startTimeOf(self))
                .stateDir(paths.stateDir().toString())
                .startedAt(now)
                .heartbeatAt(now)
                .build();
        OwnerFiles.writeAtomically(paths.ownerFile(), OwnerFiles.toJson(record));
        String token = newControlToken();
        OwnerFiles.writeAtomically(paths.controlTokenFile(), token.getBytes(StandardCharsets.US_ASCII));
        return new GatewayOwner(paths, clock, channel, lock, lockKey, record, token);
    }

    private static String newControlToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static OwnerConflictException conflict(OwnerPaths paths) {
        return new OwnerConflictException(OwnerFiles.read(paths.ownerFile()).owner());
    }

    private static SwitchboardException failure(String what, IOException e) {
        return new SwitchboardException(SwitchboardException.Kind.RUNTIME, what + ": " + Failures.describe(e), e);
    }

    public OwnerPaths paths() {
        return paths;
    }

    /** The bearer token written to {@code control.token} for this start. */
    public String controlToken() {
        return controlToken;
    }

    /** The record as last written. */
    public OwnerRecord current() {
        synchronized (writeLock) {
            return current;
        }
    }

    /**
     * Applies {@code change} to the record and writes it atomically. The identity fields
     * ({@code instanceId}, {@code pid}, {@code pidStartTime}, {@code stateDir}, {@code startedAt}) cannot
     * change.
     *
     * @throws IllegalStateException once closed
     * @throws IllegalArgumentException when the change touches an identity field
     * @throws SwitchboardException (runtime) when owner.json cannot be written; the record stays as it was
     */
    public void update(UnaryOperator<OwnerRecord> change) {
        requireNonNull(change, "change is null");
        synchronized (writeLock) {
            if (closed) {
                throw new IllegalStateException("gateway owner is closed");
            }
            write(requireNonNull(change.apply(current), "change returned null"));
        }
    }

    /**
     * {@link #update} that never throws: a failure (a vanished state dir, a full disk, no free file
     * descriptor) is logged and the record in memory stays as it was. For updates the gateway can run
     * without: channel states, phases on the way down.
     *
     * @return whether the record was written (false once closed: the final record stays)
     */
    public boolean tryUpdate(UnaryOperator<OwnerRecord> change) {
        requireNonNull(change, "change is null");
        try {
            synchronized (writeLock) {
                if (closed) {
                    return false;
                }
                write(requireNonNull(change.apply(current), "change returned null"));
                return true;
            }
        } catch (RuntimeException e) {
            log.warn("cannot update {}: {}", paths.ownerFile(), e.getMessage());
            return false;
        }
    }

    /**
     * Refreshes {@code heartbeatAt} every {@code every} on {@code scheduler} until closed. A failed write
     * is logged and retried on the next beat; it never stops the gateway.
     */
    public void startHeartbeat(ScheduledExecutorService scheduler, Duration every) {
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(every, "every is null");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every: " + every + " (expected: positive)");
        }
        synchronized (writeLock) {
            if (closed) {
                throw new IllegalStateException("gateway owner is closed");
            }
            if (heartbeat != null) {
                throw new IllegalStateException("heartbeat already started");
            }
            long millis = every.toMillis();
            heartbeat = scheduler.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One heartbeat. A failure (a full disk, no free file descriptor) is logged once, not every beat,
     * and its end once: ownership rests on the lock, not on the heartbeat, so the gateway runs on.
     */
    private void beat() {
        try {
            synchronized (writeLock) {
                if (closed) {
                    return;
                }
                write(current.withHeartbeatAt(now()));
            }
            if (heartbeatFailing) {
                heartbeatFailing = false;
                log.info("gateway owner heartbeat written again");
            }
        } catch (RuntimeException e) {
            if (!heartbeatFailing) {
                heartbeatFailing = true;
                log.warn("gateway owner heartbeat failed (retried every beat): {}", e.getMessage());
            }
        }
    }

    private void write(OwnerRecord next) {
        checkIdentity(next);
        try {
            OwnerFiles.writeAtomically(paths.ownerFile(), OwnerFiles.toJson(next));
        } catch (IOException e) {
            throw failure("cannot write " + paths.ownerFile(), e);
        }
        current = next;
    }

    private void checkIdentity(OwnerRecord next) {
        if (!next.instanceId().equals(current.instanceId())
                || next.pid() != current.pid()
                || !next.pidStartTime().equals(current.pidStartTime())
                || !next.stateDir().equals(current.stateDir())
                || !next.startedAt().equals(current.startedAt())) {
            throw new IllegalArgumentException(
                    "instanceId, pid, pidStartTime, stateDir and startedAt of a gateway owner cannot change");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** {@code close(STOPPED, "closed", null)}. */
    @Override
    public void close() {
        close(Phase.STOPPED, "closed", null);
    }

    /**
     * Writes the final record (it stays on disk), deletes {@code control.token} and releases the lock.
     * Idempotent: only the first call has an effect. Never throws for I/O: a failed step is logged and
     * the remaining steps still run, so the lock is always released.
     *
     * @param finalPhase {@link Phase#STOPPED} or {@link Phase#FAILED}
     * @param shutdownReason why, e.g. {@code sigterm received}; {@code null} for none
     * @param lastError the fatal error, {@code null} for none
     */
    public void close(Phase finalPhase, @Nullable String shutdownReason, @Nullable String lastError) {
        requireNonNull(finalPhase, "finalPhase is null");
        if (!finalPhase.terminal()) {
            throw new IllegalArgumentException(
                    "finalPhase: " + finalPhase.wireName() + " (expected: stopped or failed)");
        }
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            try {
                OwnerRecord last = current.toBuilder()
                        .phase(finalPhase)
                        .shutdownReason(shutdownReason)
                        .lastError(lastError)
                        .heartbeatAt(now())
                        .build();
                OwnerFiles.writeAtomically(paths.ownerFile(), OwnerFiles.toJson(last));
                current = last;
            } catch (IOException | RuntimeException e) {
                log.warn("cannot write final gateway owner record {}: {}", paths.ownerFile(), e.getMessage());
            }
            try {
                Files.deleteIfExists(paths.controlTokenFile());
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", paths.controlTokenFile(), Failures.describe(e));
            }
            try {
                lock.release();
            } catch (IOException e) {
                log.warn("cannot release {}: {}", paths.lockFile(), Failures.describe(e));
            }
            closeQuietly(channel);
            OwnerFiles.unregisterHeld(lockKey);
        }
    }

    /** Whether {@link #close} has run. */
    public boolean isClosed() {
        synchronized (writeLock) {
            return closed;
        }
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("cannot close owner lock channel: {}", Failures.describe(e));
        }
    }

    @Override
    public String toString() {
        OwnerRecord r = current();
        return "GatewayOwner[pid " + r.pid() + ", instance " + r.instanceId() + ", " + paths.stateDir() + "]";
    }
}
