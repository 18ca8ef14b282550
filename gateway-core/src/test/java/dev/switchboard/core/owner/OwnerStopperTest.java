package dev.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.owner.OwnerRecord.Mode;
import dev.switchboard.core.owner.StopOutcome.Result;
import dev.switchboard.core.owner.internal.GatewayOwner;
import dev.switchboard.core.owner.internal.OwnerFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerStopperTest {
    @TempDir
    Path tmp;

    private final Clock clock = Clock.systemUTC();

    private OwnerStopper stopper(OwnerPaths paths) {
        return new OwnerStopper(paths, new OwnerInspector(paths, clock, o -> ProbeResult.success()), clock);
    }

    @Test
    void nothingThereIsNotRunning() {
        OwnerPaths paths = new OwnerPaths(tmp.resolve("state"));

        StopOutcome outcome = stopper(paths).stop(Duration.ofSeconds(1), StopRequester.UNREACHABLE);

        assertThat(outcome.result()).isEqualTo(Result.NOT_RUNNING);
        assertThat(outcome.message()).isEqualTo("not running");
        assertThat(paths.stateDir()).doesNotExist();
    }

    @Test
    void aStaleOwnerJsonIsNotRunningAndNobodyIsAsked() throws Exception {
        OwnerPaths paths = new OwnerPaths(tmp.resolve("state"));
        Files.createDirectories(paths.gatewayDir());
        OwnerFiles.writeAtomically(paths.ownerFile(), OwnerFiles.toJson(OwnerRecordTest.sample()));

        StopOutcome outcome = stopper(paths).stop(Duration.ofSeconds(1), owner -> {
            throw new AssertionError("a stale owner must not be asked to stop");
        });

        assertThat(outcome.result()).isEqualTo(Result.NOT_RUNNING);
        assertThat(outcome.message()).isEqualTo("not running (stale owner.json of pid 1234 left behind)");
    }

    @Test
    void stopNeverSignalsItsOwnProcess() {
        OwnerPaths paths = new OwnerPaths(tmp.resolve("state"));
        try (GatewayOwner owner = GatewayOwner.acquire(
                paths, OwnerRecord.forStart(paths, Mode.GATEWAY, "0.1.0", clock).build(), clock)) {
            StopOutcome outcome = stopper(paths).stop(Duration.ofSeconds(1), StopRequester.UNREACHABLE);

            assertThat(outcome.result()).isEqualTo(Result.REFUSED);
            assertThat(outcome.message()).endsWith(": that is this process");
            assertThat(owner.isClosed()).isFalse();
        }
    }

    @Test
    void aHeldLockWithACorruptOwnerJsonIsRefused() throws Exception {
        OwnerPaths paths = new OwnerPaths(tmp.resolve("state"));
        try (GatewayOwner owner = GatewayOwner.acquire(
                paths, OwnerRecord.forStart(paths, Mode.GATEWAY, "0.1.0", clock).build(), clock)) {
            Files.writeString(paths.ownerFile(), "{");

            StopOutcome outcome = stopper(paths).stop(Duration.ofSeconds(1), StopRequester.UNREACHABLE);

            assertThat(outcome.result()).isEqualTo(Result.REFUSED);
            assertThat(outcome.message()).startsWith("cannot stop: owner.lock is held but owner.json is corrupt: ");
            assertThat(owner.isClosed()).isFalse();
        }
    }
}
