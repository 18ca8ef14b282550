package dev.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.owner.OwnerRecord.Mode;
import dev.switchboard.core.owner.StopOutcome.Result;
import dev.switchboard.core.owner.StopOutcome.Via;
import dev.switchboard.core.owner.internal.GatewayOwner;
import dev.switchboard.core.owner.internal.OwnerFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner contract between two real JVMs: {@link OwnerHolderMain} owns, this process inspects. */
class OwnerCrossProcessTest {
    @TempDir
    Path tmp;

    private final Clock clock = Clock.systemUTC();
    private final List<OwnerHolderProcess> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (OwnerHolderProcess child : children) {
            child.close();
        }
    }

    private OwnerPaths paths() {
        return new OwnerPaths(tmp.resolve("state"));
    }

    private OwnerHolderProcess holder(OwnerPaths paths, String... args) throws Exception {
        OwnerHolderProcess child = OwnerHolderProcess.start(paths.stateDir(), tmp.resolve("logs"), args);
        children.add(child);
        return child;
    }

    private OwnerInspector inspector(OwnerPaths paths) {
        return new OwnerInspector(paths, clock, new HealthzProbe());
    }

    private OwnerRecord ownerJson(OwnerPaths paths) {
        return OwnerFiles.read(paths.ownerFile()).owner().orElseThrow();
    }

    @Test
    void anotherJvmOwnsUntilItIsKilledThenTheStateDirIsReclaimed() throws Exception {
        OwnerPaths paths = paths();
        try (FakeHealthz healthz = new FakeHealthz()) {
            OwnerHolderProcess child = holder(paths, String.valueOf(healthz.port()));
            assertThat(ownerJson(paths).pid()).isEqualTo(child.pid());
            assertThat(ownerJson(paths).instanceId()).isEqualTo(child.instanceId());

            // a second gateway is refused, naming the owner
            assertThatThrownBy(() -> GatewayOwner.acquire(
                            paths,
                            OwnerRecord.forStart(paths, Mode.GATEWAY, "0.1.0", clock)
                                    .build(),
                            clock))
                    .isInstanceOf(OwnerConflictException.class)
                    .hasMessage("gateway already running (pid " + child.pid() + ", session main, ws://127.0.0.1:"
                            + healthz.port() + "); stop it with: switchboard gateway stop");

            // the lock is held: the probe decides between running and unresponsive
            healthz.answerAs(child.instanceId());
            OwnerStatus running = inspector(paths).inspect();
            assertThat(running.state()).isEqualTo(OwnerState.RUNNING);
            assertThat(running.rpc()).isEqualTo("ok");
            assertThat(running.uptimeMs()).isPositive();

            healthz.answerAs("another-instance");
            OwnerStatus impostor = inspector(paths).inspect();
            assertThat(impostor.state()).isEqualTo(OwnerState.UNRESPONSIVE);
            assertThat(impostor.rpc())
                    .isEqualTo("port " + healthz.port() + " answered as another instance (another-instance)");

            healthz.stop();
            OwnerStatus silent = inspector(paths).inspect();
            assertThat(silent.state()).isEqualTo(OwnerState.UNRESPONSIVE);
            assertThat(silent.rpc()).startsWith("cannot connect to ");

            // kill -9: the kernel frees the lock, owner.json still says running
            child.kill();
            OwnerStatus stale = inspector(paths).inspect();
            assertThat(stale.state()).isEqualTo(OwnerState.STALE);
            assertThat(stale.owner().map(OwnerRecord::pid)).contains(child.pid());
            assertThat(new OwnerStopper(paths, inspector(paths), clock)
                            .stop(Duration.ofSeconds(1), StopRequester.UNREACHABLE)
                            .result())
                    .as("a stale owner is not running")
                    .isEqualTo(Result.NOT_RUNNING);

            try (GatewayOwner reclaimed = GatewayOwner.acquire(
                    paths,
                    OwnerRecord.forStart(paths, Mode.GATEWAY, "0.1.0", clock).build(),
                    clock)) {
                assertThat(ownerJson(paths).instanceId())
                        .isEqualTo(reclaimed.current().instanceId())
                        .isNotEqualTo(child.instanceId());
                assertThat(ownerJson(paths).pid())
                        .isEqualTo(ProcessHandle.current().pid());
            }
        }
    }

    @Test
    void theOwnerRefusesASecondJvmEvenAfterItsOwnJvmProbedTheLock() throws Exception {
        OwnerPaths paths = paths();
        try (GatewayOwner owner = GatewayOwner.acquire(
                paths, OwnerRecord.forStart(paths, Mode.GATEWAY, "0.1.0", clock).build(), clock)) {
            // POSIX locks belong to the process: closing any other descriptor of owner.lock in this JVM
            // would silently drop the owner's lock, so neither of these may open one
            assertThatThrownBy(() -> GatewayOwner.acquire(
                            paths,
                            OwnerRecord.forStart(paths, Mode.GATEWAY, "0.1.0", clock)
                                    .build(),
                            clock))
                    .isInstanceOf(OwnerConflictException.class);
            assertThat(inspector(paths).inspect().state()).isEqualTo(OwnerState.UNRESPONSIVE);

            assertThatThrownBy(() -> holder(paths))
                    .hasMessage("owner holder said: CONFLICT gateway already running (pid "
                            + ProcessHandle.current().pid() + ", session -); stop it with: switchboard gateway stop");
            assertThat(owner.isClosed()).isFalse();
        }
    }

    @Test
    void stopSendsSigtermToTheVerifiedOwnerAndWaitsForTheLock() throws Exception {
        OwnerPaths paths = paths();
        OwnerHolderProcess child = holder(paths);
        AtomicReference<OwnerRecord> asked = new AtomicReference<>();

        StopOutcome outcome = new OwnerStopper(paths, inspector(paths), clock).stop(Duration.ofSeconds(20), owner -> {
            asked.set(owner);
            return false; // no control RPC yet
        });

        assertThat(outcome.result()).isEqualTo(Result.STOPPED);
        assertThat(outcome.via()).isEqualTo(Via.SIGTERM);
        assertThat(outcome.message()).isEqualTo("stopped");
        assertThat(asked.get().instanceId()).as("the RPC is tried first").isEqualTo(child.instanceId());
        assertThat(inspector(paths).lockHeld()).isFalse();
        child.awaitExit(Duration.ofSeconds(10));

        OwnerRecord last = ownerJson(paths);
        assertThat(last.phase()).isEqualTo(OwnerRecord.Phase.STOPPED);
        assertThat(last.shutdownReason()).contains("sigterm received");
        assertThat(paths.controlTokenFile()).doesNotExist();
        assertThat(inspector(paths).inspect().state()).isEqualTo(OwnerState.STOPPED);
    }

    @Test
    void aPidWhoseStartTimeDoesNotMatchIsNeverSignalled() throws Exception {
        OwnerPaths paths = paths();
        OwnerHolderProcess child = holder(paths);
        OwnerRecord real = ownerJson(paths);
        OwnerRecord forged = real.toBuilder()
                .pidStartTime(
                        real.pidStartTime().getAsLong() - Duration.ofHours(1).toMillis())
                .build();
        OwnerFiles.writeAtomically(paths.ownerFile(), OwnerFiles.toJson(forged));

        // stopped, the child takes no signal: one sent to it would stay pending, where the kernel shows it
        child.suspend();
        StopOutcome outcome;
        try {
            outcome = new OwnerStopper(paths, inspector(paths), clock)
                    .stop(Duration.ofSeconds(2), StopRequester.UNREACHABLE);
            assertThat(child.sigtermPending())
                    .as("SIGTERM pending at pid %d", child.pid())
                    .isFalse();
        } finally {
            child.resume();
        }

        assertThat(outcome.result()).isEqualTo(Result.REFUSED);
        assertThat(outcome.via()).isEqualTo(Via.NONE);
        assertThat(outcome.message())
                .startsWith("refusing to signal pid " + child.pid() + ": it started at ")
                .contains("so it is not the gateway owner");
        assertThat(child.isAlive()).isTrue();
        assertThat(inspector(paths).lockHeld()).isTrue();
    }

    @Test
    void stopTimesOutWhileTheOwnerStillHoldsTheLock() throws Exception {
        OwnerPaths paths = paths();
        OwnerHolderProcess child = holder(paths, "-", "slow-shutdown");

        StopOutcome outcome = new OwnerStopper(paths, inspector(paths), clock)
                .stop(Duration.ofMillis(700), StopRequester.UNREACHABLE);

        assertThat(outcome.result()).isEqualTo(Result.TIMEOUT);
        assertThat(outcome.message())
                .isEqualTo("gateway (pid " + child.pid() + ") still holds the lock after 700ms (SIGTERM sent)");
        assertThat(inspector(paths).lockHeld()).isTrue();
    }

    @Test
    void anAcceptedRpcRequestIsNotFollowedBySigterm() throws Exception {
        OwnerPaths paths = paths();
        OwnerHolderProcess child = holder(paths);

        StopOutcome outcome =
                new OwnerStopper(paths, inspector(paths), clock).stop(Duration.ofMillis(500), owner -> true);

        assertThat(outcome.result()).isEqualTo(Result.TIMEOUT);
        assertThat(outcome.via()).isEqualTo(Via.RPC);
        assertThat(outcome.message()).endsWith("(stop requested)");
        assertThat(child.isAlive()).isTrue();
    }
}
