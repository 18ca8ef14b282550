package dev.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** How a config file is saved: the two ways editors and tools do it. */
enum Editor {
    /** The file truncated and rewritten in place ({@code >}, most tools). */
    WRITE("whole-file write") {
        @Override
        void save(Path file, String text) throws IOException {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
    },
    /** A temp file beside it renamed over it (vim, IntelliJ, {@code config.apply}). */
    RENAME("temp file + rename") {
        @Override
        void save(Path file, String text) throws IOException {
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    };

    private final String description;

    Editor(String description) {
        this.description = description;
    }

    abstract void save(Path file, String text) throws IOException;

    String description() {
        return description;
    }

    /** The name used in the report's JSON. */
    String key() {
        return this == WRITE ? "write" : "rename";
    }
}
