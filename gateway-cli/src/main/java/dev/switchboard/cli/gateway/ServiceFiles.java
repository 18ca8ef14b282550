package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Writes and removes service definitions in one directory (the service manager's per-user directory,
 * or {@code SWITCHBOARD_SERVICE_DIR} for tests and packaging).
 */
final class ServiceFiles {
    /** Readable by all, like every unit file: it holds no secret. */
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

    enum Written {
        CREATED,
        REPLACED,
        UNCHANGED,
        /** Another definition is there and {@code force} was not given: nothing was written. */
        REFUSED
    }

    private final Path directory;

    ServiceFiles(Path directory) {
        this.directory =
                requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
    }

    Path file(ServiceDefinition definition) {
        return file(definition.manager(), definition.profile());
    }

    /** Where the definition of the gateway of {@code profile} goes. */
    Path file(ServiceManager manager, Optional<String> profile) {
        return directory.resolve(manager.fileName(profile));
    }

    /** Writes the definition atomically (temp file + rename), mode {@code 0644}. */
    Written write(ServiceDefinition definition, boolean force) throws IOException {
        Path file = file(definition);
        String content = definition.render();
        boolean exists = Files.exists(file);
        if (exists && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            return Written.UNCHANGED;
        }
        if (exists && !force) {
            return Written.REFUSED;
        }
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, MODE);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return exists ? Written.REPLACED : Written.CREATED;
    }

    /**
     * Whether systemd would still start the unit at login: {@code systemctl --user enable} links it
     * from {@code default.target.wants} next to the unit file.
     */
    boolean enabled(ServiceDefinition definition) {
        return definition.manager() == ServiceManager.SYSTEMD
                && Files.exists(
                        directory.resolve("default.target.wants").resolve(definition.fileName()),
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes the definition; false when there was none. */
    boolean remove(ServiceDefinition definition) throws IOException {
        return Files.deleteIfExists(file(definition));
    }
}
