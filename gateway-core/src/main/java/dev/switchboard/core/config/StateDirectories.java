package dev.switchboard.core.config;

import dev.switchboard.core.SwitchboardException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Creates state directories readable by their owner only. */
public final class StateDirectories {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private StateDirectories() {}

    /**
     * Creates {@code dir} (and missing parents) with POSIX permissions {@code 0700}; a directory that
     * already exists is left as it is. Returns {@code dir}.
     *
     * @throws SwitchboardException (config) if it cannot be created or exists as a file
     */
    public static Path ensure(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            return absolute;
        }
        if (Files.exists(absolute)) {
            throw SwitchboardException.config("state directory " + absolute + " exists but is not a directory");
        }
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                // the umask may have narrowed the mode at creation; set it exactly
                Files.setPosixFilePermissions(absolute, OWNER_ONLY);
            } else {
                Files.createDirectory(absolute);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw new SwitchboardException(
                        SwitchboardException.Kind.CONFIG,
                        "state directory " + absolute + " exists but is not a directory",
                        e);
            }
        } catch (IOException e) {
            throw new SwitchboardException(
                    SwitchboardException.Kind.CONFIG,
                    "cannot create state directory " + absolute + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
        return absolute;
    }
}
