package dev.switchboard.core.store.internal;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A temp dir per test for the store's SQLite file. */
abstract class StoreTestBase {
    @TempDir
    Path dir;
}
