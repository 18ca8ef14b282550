package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §4: a stop ends the process whatever fails on the way; no zombie owner. */
class StopAlwaysEndsIT {
    @TempDir
    Path home;

    @Test
    void sigtermStopsAGatewayWhoseStateDirectoryWasRemovedAndNamesWhatItCouldNotWrite() throws Exception {
        Path state = home.resolve("state");
        try (GatewayProcess gateway = GatewayProcess.start(
                home,
                home.resolve("process-logs"),
                "gateway",
                "run",
                "--state-dir",
                state.toString(),
                "--allow-unconfigured",
                "--port",
                "0")) {
            gateway.awaitRunning();
            deleteRecursively(state);

            ProcessHandle.of(gateway.pid()).orElseThrow().destroy(); // SIGTERM

            assertThat(gateway.awaitExit()).as(gateway.describe()).isZero();
            assertThat(gateway.stderr()).contains("cannot write final gateway owner record");
        }
    }

    /** {@code rm -rf}: the running gateway may write a file into it meanwhile, so until it is gone. */
    private static void deleteRecursively(Path dir) throws InterruptedException {
        for (int attempt = 0; Files.exists(dir); attempt++) {
            assertThat(attempt).as("%s could be removed", dir).isLessThan(100);
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException | UncheckedIOException e) {
                Thread.sleep(20); // a file appeared in a directory being removed: once more
            }
        }
    }
}
