package dev.switchboard.core.owner;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.internal.Failures;
import dev.switchboard.core.owner.internal.OwnerFiles;
import dev.switchboard.core.owner.internal.OwnerUrls;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Decides from another process (or the owner's own JVM) whether a state directory is owned. Creates
 * nothing: a missing gateway directory or lock file means stopped. Never throws for a bad state
 * file; problems are reported in {@link OwnerStatus#problem()}.
 */
public final class OwnerInspector {
    private static final String NOT_PROBED = "not probed: the gateway is not running";
    private static final int CONSISTENT_READ_ATTEMPTS = 3;

    private final OwnerPaths paths;
    private final Clock clock;
    private final LivenessProbe probe;

    public OwnerInspector(OwnerPaths paths, Clock clock, LivenessProbe probe) {
        this.paths = requireNonNull(paths, "paths is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.probe = requireNonNull(probe, "probe is null");
    }

    public OwnerPaths paths() {
        return paths;
    }

    /** Whether a live process holds the owner lock. Creates nothing; "cannot tell" counts as held. */
    public boolean lockHeld() {
        return checkLock().held();
    }

    /** Inspects the owner files, and probes the owner when its lock is held. */
    public OwnerStatus inspect() {
        // owner.json is read before and after the lock test; a start or stop in between is retried so a
        // starting owner is never reported stale
        OwnerFiles.Read read = OwnerFiles.read(paths.ownerFile());
        LockCheck lock = checkLock();
        for (int attempt = 1; attempt < CONSISTENT_READ_ATTEMPTS; attempt++) {
            OwnerFiles.Read again = OwnerFiles.read(paths.ownerFile());
            if (again.sameAs(read)) {
                break;
            }
            read = again;
            lock = checkLock();
        }
        return conclude(read, lock);
    }

    private OwnerStatus conclude(OwnerFiles.Read read, LockCheck lock) {
        Optional<OwnerRecord> owner = read.owner();
        // no lambdas on this path: every short command that asks for the owner runs it
        StringJoiner problems = new StringJoiner("; ");
        if (read.problem().isPresent()) {
            problems.add(read.problem().get());
        }
        if (lock.problem().isPresent()) {
            problems.add(lock.problem().get());
        }
        Optional<String> url = owner.isPresent() ? OwnerUrls.wsUrl(owner.get()) : Optional.empty();

        if (lock.held()) {
            if (owner.isEmpty()) {
                if (read.problem().isEmpty()) {
                    problems.add("owner.lock is held but owner.json is missing");
                }
                return new OwnerStatus(
                        OwnerState.UNRESPONSIVE,
                        owner,
                        problem(problems),
                        0,
                        "not probed: no readable owner.json",
                        url);
            }
            ProbeResult result = safeProbe(owner.get());
            return new OwnerStatus(
                    result.ok() ? OwnerState.RUNNING : OwnerState.UNRESPONSIVE,
                    owner,
                    problem(problems),
                    uptime(owner.get()),
                    result.describe(),
                    url);
        }
        boolean live = owner.isPresent() && owner.get().phase().live();
        return new OwnerStatus(
                live ? OwnerState.STALE : OwnerState.STOPPED, owner, problem(problems), 0, NOT_PROBED, url);
    }

    private ProbeResult safeProbe(OwnerRecord owner) {
        try {
            ProbeResult result = probe.probe(owner);
            return result == null ? ProbeResult.failed("probe returned no result") : result;
        } catch (RuntimeException e) {
            return ProbeResult.failed("probe failed: " + Failures.describe(e));
        }
    }

    private long uptime(OwnerRecord owner) {
        return Math.max(
                0, Duration.between(owner.startedAt(), Instant.now(clock)).toMillis());
    }

    private static Optional<String> problem(StringJoiner problems) {
        return problems.length() == 0 ? Optional.empty() : Optional.of(problems.toString());
    }

    /**
     * Tests the lock with a shared lock on a read-only channel, released at once: it needs only read
     * access and never conflicts with another inspector. Inside the owning JVM the registry answers, so
     * no second descriptor is opened (closing one would drop the owner's POSIX lock).
     */
    LockCheck checkLock() {
        Path lockFile = paths.lockFile();
        Optional<Path> key = OwnerFiles.lockKey(lockFile);
        if (key.isEmpty()) {
            return LockCheck.FREE; // no gateway directory: never owned
        }
        if (OwnerFiles.heldInThisJvm(key.get())) {
            return LockCheck.HELD;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ)) {
            FileLock lock;
            try {
                lock = channel.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                return LockCheck.HELD;
            }
            if (lock == null) {
                return LockCheck.HELD;
            }
            lock.release();
            return LockCheck.FREE;
        } catch (NoSuchFileException e) {
            return LockCheck.FREE;
        } catch (IOException e) {
            return new LockCheck(
                    true, Optional.of("cannot test " + lockFile + ": " + Failures.describe(e) + " (assuming held)"));
        }
    }

    /** Whether the lock is held; a lock that cannot be tested counts as held, with a problem. */
    record LockCheck(boolean held, Optional<String> problem) {
        static final LockCheck HELD = new LockCheck(true, Optional.empty());
        static final LockCheck FREE = new LockCheck(false, Optional.empty());
    }
}
