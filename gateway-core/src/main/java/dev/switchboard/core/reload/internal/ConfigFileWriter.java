package dev.switchboard.core.reload.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a config file for {@code config.apply}: to a temporary file in the same directory with the
 * original's permissions, then renamed over it, so a reader (the watcher, an editor, a crash) sees
 * the old text or the new, never half of it, and a 0600 file holding secrets never widens.
 */
public final class ConfigFileWriter {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private ConfigFileWriter() {}

    public static void write(Path file, String text) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Set<PosixFilePermission> mode = Files.exists(file) ? Files.getPosixFilePermissions(file) : OWNER_ONLY;
            temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            Files.setPosixFilePermissions(temp, mode);
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file is harmless and named after the config
                }
            }
        }
    }
}
