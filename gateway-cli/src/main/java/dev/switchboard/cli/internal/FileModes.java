package dev.switchboard.cli.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** POSIX permission helpers for the state files: {@code 0700} directories, {@code 0600} files. */
public final class FileModes {
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private FileModes() {}

    /** The file's permissions; empty where the file system has no POSIX permissions. */
    public static Optional<Set<PosixFilePermission>> permissions(Path path) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return Optional.empty();
        }
        return Optional.of(view.readAttributes().permissions());
    }

    /** Whether group or others have any access. */
    public static boolean groupOrOthers(Set<PosixFilePermission> permissions) {
        return permissions.stream().anyMatch(GROUP_OR_OTHERS::contains);
    }

    /** Octal, as chmod takes it: {@code 0755}. */
    public static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= bit(permission);
        }
        return String.format("0%o", mode);
    }

    private static int bit(PosixFilePermission permission) {
        return switch (permission) {
            case OWNER_READ -> 0400;
            case OWNER_WRITE -> 0200;
            case OWNER_EXECUTE -> 0100;
            case GROUP_READ -> 040;
            case GROUP_WRITE -> 020;
            case GROUP_EXECUTE -> 010;
            case OTHERS_READ -> 04;
            case OTHERS_WRITE -> 02;
            case OTHERS_EXECUTE -> 01;
        };
    }

    /** Writes {@code content} to {@code file} with mode {@code 0600} (temp file + rename). */
    public static void writePrivate(Path file, String content) throws IOException {
        Path dir = requireNonNull(file.toAbsolutePath().getParent(), () -> file + " is not in a directory");
        Path temp;
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            temp = Files.createTempFile(
                    dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(FILE));
        } else {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        }
        try {
            Files.writeString(temp, content);
            Files.move(
                    temp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
