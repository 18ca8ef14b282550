package dev.switchboard.core.owner;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.internal.Failures;
import dev.switchboard.core.owner.internal.OwnerFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * Removes what a dead owner left behind ({@code owner.json} in a live phase, {@code control.token}),
 * for {@code doctor --fix}. The files are only touched while this process holds the owner lock
 * itself, so a gateway starting at the same moment either waits for it or finds the files gone;
 * {@code owner.lock} itself is never deleted (the owner contract keeps it forever).
 */
public final class StaleOwnerCleaner {
    private StaleOwnerCleaner() {}

    /**
     * Deletes a stale owner's {@code owner.json} and {@code control.token}.
     *
     * @return the stale record that was removed; empty when there is none (no owner files, a stopped
     *     or failed record, or a live owner, whose files are never touched)
     * @throws SwitchboardException (runtime) when the record looks stale but its pid still runs as
     *     recorded, or the files cannot be removed; the message says which
     */
    public static Optional<OwnerRecord> clear(OwnerPaths paths) {
        requireNonNull(paths, "paths is null");
        if (!Files.isDirectory(paths.gatewayDir()) || !Files.exists(paths.ownerFile())) {
            return Optional.empty();
        }
        Optional<Path> key = OwnerFiles.lockKey(paths.lockFile());
        // a lock this JVM holds (an embedded gateway) is live; registering keeps this JVM from starting one meanwhile
        if (key.isEmpty() || !OwnerFiles.registerHeld(key.get())) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(
                paths.lockFile(),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                OwnerFiles.privateFile())) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return Optional.empty();
            }
            if (lock == null) {
                return Optional.empty(); // a live owner (or an inspector probing it this instant)
            }
            try {
                return clearLocked(paths);
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "cannot remove the stale owner files in " + paths.gatewayDir() + ": " + Failures.describe(e),
                    e);
        } finally {
            OwnerFiles.unregisterHeld(key.get());
        }
    }

    private static Optional<OwnerRecord> clearLocked(OwnerPaths paths) throws IOException {
        Optional<OwnerRecord> stale =
                OwnerFiles.read(paths.ownerFile()).owner().filter(o -> o.phase().live());
        if (stale.isEmpty()) {
            return Optional.empty();
        }
        OwnerRecord owner = stale.get();
        Optional<ProcessHandle> process = ProcessHandle.of(owner.pid()).filter(ProcessHandle::isAlive);
        if (process.isPresent() && OwnerStopper.startedAsRecorded(process.get(), owner)) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.RUNTIME,
                    "owner.json names pid " + owner.pid() + ", which still runs as recorded but does not hold "
                            + paths.lockFile() + " (was the gateway dir replaced while it ran?); stop that"
                            + " process before removing its files");
        }
        Files.deleteIfExists(paths.controlTokenFile());
        Files.delete(paths.ownerFile());
        return stale;
    }
}
