package dev.switchboard.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A temp dir per test, and a java.io.tmpdir that exists: sqlite-jdbc unpacks its native library there. */
abstract class StoreTestBase {
    @TempDir
    Path dir;

    @BeforeAll
    static void nativeLibraryDirectoryExists() throws IOException {
        // the build points java.io.tmpdir at target/tmp, which nothing else creates
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }
}
