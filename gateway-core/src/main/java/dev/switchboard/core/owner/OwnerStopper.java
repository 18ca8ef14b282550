package dev.switchboard.core.owner;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.owner.StopOutcome.Result;
import dev.switchboard.core.owner.StopOutcome.Via;
import dev.switchboard.core.owner.internal.OwnerFiles;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stops the owner of a state directory: over the control RPC when it answers, else SIGTERM to its
 * pid, but only when that pid's start time matches {@code pidStartTime} so a recycled pid is never
 * signalled. Then waits for the lock to be released.
 */
public final class OwnerStopper {
    /**
     * How far a pid's start time may differ from {@code pidStartTime} and still be the same process.
     * Linux derives a process start instant from its start tick and the boot time in /proc/stat, which
     * is whole seconds and moves when the wall clock is stepped, so two readings of one process can
     * differ by up to a second; a different process with the same pid started after the original
     * exited, and nothing signals unless the owner lock is also held.
     */
    static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(1);

    private static final long POLL_MILLIS = 100;

    private final OwnerPaths paths;
    private final OwnerInspector inspector;
    private final Clock clock;

    public OwnerStopper(OwnerPaths paths, OwnerInspector inspector, Clock clock) {
        this.paths = requireNonNull(paths, "paths is null");
        this.inspector = requireNonNull(inspector, "inspector is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (!inspector.paths().equals(paths)) {
            throw new IllegalArgumentException(
                    "inspector inspects " + inspector.paths().stateDir() + ", not " + paths.stateDir());
        }
    }

    /**
     * Stops the owner and waits up to {@code timeout} (measured on the clock) for the lock to be free.
     */
    public StopOutcome stop(Duration timeout, StopRequester requester) {
        requireNonNull(timeout, "timeout is null");
        requireNonNull(requester, "requester is null");
        Instant deadline = clock.instant().plus(timeout);
        if (!inspector.lockHeld()) {
            Optional<OwnerRecord> stale = OwnerFiles.read(paths.ownerFile())
                    .owner()
                    .filter(o -> o.phase().live());
            return new StopOutcome(
                    Result.NOT_RUNNING,
                    Via.NONE,
                    stale,
                    stale.map(o -> "not running (stale owner.json of pid " + o.pid() + " left behind)")
                            .orElse("not running"));
        }
        OwnerFiles.Read read = OwnerFiles.read(paths.ownerFile());
        if (read.owner().isEmpty()) {
            return new StopOutcome(
                    Result.REFUSED,
                    Via.NONE,
                    Optional.empty(),
                    "cannot stop: owner.lock is held but "
                            + read.problem().orElse("owner.json is missing")
                            + "; find the process holding " + paths.lockFile() + " and stop it by hand");
        }
        OwnerRecord owner = read.owner().get();
        Via via;
        if (requestQuietly(requester, owner)) {
            via = Via.RPC;
        } else {
            Optional<String> refusal = signal(owner);
            if (refusal.isPresent()) {
                return new StopOutcome(Result.REFUSED, Via.NONE, Optional.of(owner), refusal.get());
            }
            via = Via.SIGTERM;
        }
        return await(owner, via, deadline, timeout);
    }

    /**
     * Waits up to {@code timeout} for {@code owner} to release the lock after the caller had its
     * service manager stop it: a manager that started the gateway must be the one to stop it, or it
     * starts it again.
     */
    public StopOutcome awaitStopped(OwnerRecord owner, Duration timeout) {
        requireNonNull(owner, "owner is null");
        requireNonNull(timeout, "timeout is null");
        return await(owner, Via.SERVICE_MANAGER, clock.instant().plus(timeout), timeout);
    }

    private static boolean requestQuietly(StopRequester requester, OwnerRecord owner) {
        try {
            return requester.requestStop(owner);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Sends SIGTERM to the owner's pid if it is provably the owner; else says why not. */
    private Optional<String> signal(OwnerRecord owner) {
        long pid = owner.pid();
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            if (!inspector.lockHeld()) {
                return Optional.empty(); // it exited between the checks
            }
            return Optional.of("refusing to signal: pid " + pid + " from owner.json is not running, yet "
                    + paths.lockFile() + " is held by another process");
        }
        if (pid == ProcessHandle.current().pid()) {
            return Optional.of("refusing to signal pid " + pid + ": that is this process");
        }
        OptionalLong recorded = owner.pidStartTime();
        if (recorded.isEmpty()) {
            return Optional.of("refusing to signal pid " + pid + ": owner.json has no pidStartTime to verify it");
        }
        Optional<Instant> actual = process.get().info().startInstant();
        if (actual.isEmpty()) {
            return Optional.of("refusing to signal pid " + pid + ": its start time cannot be read to verify it");
        }
        if (!startedAsRecorded(process.get(), owner)) {
            return Optional.of("refusing to signal pid " + pid + ": it started at " + actual.get()
                    + " but owner.json says " + Instant.ofEpochMilli(recorded.getAsLong())
                    + ", so it is not the gateway owner (the pid was reused or owner.json is wrong)");
        }
        if (!process.get().destroy()) {
            return Optional.of("cannot send SIGTERM to pid " + pid);
        }
        return Optional.empty();
    }

    private StopOutcome await(OwnerRecord owner, Via via, Instant deadline, Duration timeout) {
        while (true) {
            if (!inspector.lockHeld()) {
                awaitExit(owner, deadline);
                return new StopOutcome(Result.STOPPED, via, Optional.of(owner), "stopped");
            }
            if (!clock.instant().isBefore(deadline)) {
                return new StopOutcome(
                        Result.TIMEOUT,
                        via,
                        Optional.of(owner),
                        "gateway (pid " + owner.pid() + ") still holds the lock after " + format(timeout)
                                + switch (via) {
                                    case SIGTERM -> " (SIGTERM sent)";
                                    case SERVICE_MANAGER -> " (its service manager was told to stop it)";
                                    default -> " (stop requested)";
                                });
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new StopOutcome(
                        Result.TIMEOUT, via, Optional.of(owner), "interrupted while waiting for the gateway to stop");
            }
        }
    }

    /**
     * The lock is released a moment before the JVM exits; wait for the process itself (bounded by
     * the same deadline) so that "stopped" means gone. A process that embeds the gateway and goes
     * on running has still stopped being the owner, so this never turns into a failure.
     */
    private void awaitExit(OwnerRecord owner, Instant deadline) {
        Optional<ProcessHandle> process = ProcessHandle.of(owner.pid())
                .filter(handle -> handle.pid() != ProcessHandle.current().pid())
                .filter(handle -> startedAsRecorded(handle, owner));
        if (process.isEmpty()) {
            return;
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        try {
            process.get().onExit().get(left.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // still alive: it embeds the gateway, or exits slowly; the lock is what counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code process} is the one owner.json describes, not a later process with its pid. */
    static boolean startedAsRecorded(ProcessHandle process, OwnerRecord owner) {
        Optional<Instant> actual = process.info().startInstant();
        return actual.isPresent()
                && owner.pidStartTime().isPresent()
                && Math.abs(actual.get().toEpochMilli() - owner.pidStartTime().getAsLong())
                        <= START_TIME_TOLERANCE.toMillis();
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
