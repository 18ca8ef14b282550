package dev.switchboard.core.owner.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.internal.Failures;
import dev.switchboard.core.owner.OwnerRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** File plumbing shared by the owner, the inspector and the stopper. */
public final class OwnerFiles {
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /**
     * Lock files held by a {@link GatewayOwner} in this JVM, by real path. POSIX record locks belong to
     * the process, and closing any descriptor of the file drops all of them, so code in the owning JVM
     * must never open a second channel on a held lock file: it consults this set instead.
     */
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private OwnerFiles() {}

    /**
     * What reading owner.json found: a record, nothing, or a problem; {@code content} is the file's text
     * (empty when there was none to read).
     */
    public record Read(Optional<OwnerRecord> owner, Optional<String> problem, String content) {
        public static final Read MISSING = new Read(Optional.empty(), Optional.empty(), "");

        public Read(Optional<OwnerRecord> owner, Optional<String> problem) {
            this(owner, problem, "");
        }

        /**
         * Whether two reads found the same file content. Compares text, not records: a record's generated
         * {@code equals} bootstraps {@code ObjectMethods}, ~40 ms of {@code gateway status}'s start-up.
         */
        public boolean sameAs(Read other) {
            return content.equals(other.content) && problem.equals(other.problem);
        }
    }

    public static Read read(Path ownerFile) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(ownerFile);
        } catch (NoSuchFileException e) {
            return Read.MISSING;
        } catch (IOException e) {
            return new Read(Optional.empty(), Optional.of("owner.json is unreadable: " + Failures.describe(e)));
        }
        try {
            return new Read(
                    Optional.of(OwnerJson.read(bytes)), Optional.empty(), new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Read(Optional.empty(), Optional.of("owner.json is corrupt: " + e.getMessage()));
        } catch (RuntimeException e) {
            return new Read(Optional.empty(), Optional.of("owner.json is corrupt: " + Failures.describe(e)));
        }
    }

    public static byte[] toJson(OwnerRecord owner) {
        return OwnerJson.write(owner);
    }

    /**
     * Replaces {@code target} atomically: a {@code 0600} temp file in the same directory, fsynced, then
     * renamed over the target; the directory is fsynced afterwards where the platform allows it.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = requireNonNull(target.getParent(), () -> target + " is not in a directory");
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", privateFile());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        fsyncDirectory(dir);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open or sync a directory; the rename itself is still atomic
        }
    }

    /** {@code 0700} for a directory when the file system has POSIX permissions. */
    public static FileAttribute<?>[] privateDir() {
        return POSIX
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
                }
                : new FileAttribute<?>[0];
    }

    /** {@code 0600} for a file when the file system has POSIX permissions. */
    public static FileAttribute<?>[] privateFile() {
        return POSIX
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : new FileAttribute<?>[0];
    }

    /** Creates {@code dir} {@code 0700} if missing, or tightens it to {@code 0700} if it exists. */
    public static void ensurePrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, privateDir());
        }
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Creates {@code dir} {@code 0700} if missing; an existing directory keeps its mode. */
    public static void createPrivateDirIfMissing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, privateDir());
            if (POSIX) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    /** The key under which a lock file is registered; empty when its directory does not exist. */
    public static Optional<Path> lockKey(Path lockFile) {
        Path dir = lockFile.getParent();
        if (dir == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(dir.toRealPath().resolve(lockFile.getFileName()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static boolean registerHeld(Path key) {
        return HELD_IN_THIS_JVM.add(key);
    }

    public static void unregisterHeld(Path key) {
        HELD_IN_THIS_JVM.remove(key);
    }

    public static boolean heldInThisJvm(Path key) {
        return HELD_IN_THIS_JVM.contains(key);
    }
}
