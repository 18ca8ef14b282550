package dev.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.owner.OwnerRecord.Mode;
import dev.switchboard.core.owner.OwnerRecord.Phase;
import dev.switchboard.core.owner.internal.GatewayOwner;
import dev.switchboard.core.owner.internal.OwnerFiles;
import dev.switchboard.core.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerInspectorTest {
    @TempDir
    Path tmp;

    private final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T10:00:00Z"));

    private OwnerPaths paths() {
        return new OwnerPaths(tmp.resolve("state"));
    }

    private OwnerInspector inspector(OwnerPaths paths, LivenessProbe probe) {
        return new OwnerInspector(paths, clock, probe);
    }

    private OwnerRecord.Builder initial(OwnerPaths paths) {
        return OwnerRecord.forStart(paths, Mode.GATEWAY, "0.1.0", clock);
    }

    @Test
    void aStateDirThatDoesNotExistIsStoppedAndStaysAbsent() {
        OwnerPaths paths = paths();

        OwnerStatus status = inspector(paths, o -> ProbeResult.success()).inspect();

        assertThat(status.state()).isEqualTo(OwnerState.STOPPED);
        assertThat(status.owner()).isEmpty();
        assertThat(status.problem()).isEmpty();
        assertThat(status.toJson())
                .containsExactly(
                        Map.entry("state", "stopped"),
                        Map.entry("uptimeMs", 0L),
                        Map.entry("rpc", "not probed: the gateway is not running"),
                        entry("url", null));
        assertThat(paths.stateDir()).doesNotExist();
    }

    @Test
    void inspectingNeverCreatesTheLockFile() throws Exception {
        OwnerPaths paths = paths();
        Files.createDirectories(paths.gatewayDir());

        assertThat(inspector(paths, o -> ProbeResult.success()).inspect().state())
                .isEqualTo(OwnerState.STOPPED);
        assertThat(paths.lockFile()).doesNotExist();
    }

    @Test
    void aLiveOwnerThatAnswersIsRunningWithItsUptime() throws Exception {
        OwnerPaths paths = paths();
        try (FakeHealthz healthz = new FakeHealthz();
                GatewayOwner owner = GatewayOwner.acquire(
                        paths, initial(paths).session("main").build(), clock)) {
            owner.update(r -> r.withPort(healthz.port()).withPhase(Phase.RUNNING));
            healthz.answerAs(owner.current().instanceId());
            clock.advance(Duration.ofSeconds(90));

            OwnerStatus status = inspector(paths, new HealthzProbe()).inspect();

            assertThat(status.state()).isEqualTo(OwnerState.RUNNING);
            assertThat(status.rpc()).isEqualTo("ok");
            assertThat(status.uptimeMs()).isEqualTo(90_000);
            assertThat(status.url()).contains("ws://127.0.0.1:" + healthz.port());
            assertThat(status.owner()).contains(owner.current());

            Map<String, Object> json = status.toJson();
            assertThat(json.keySet())
                    .containsExactly(
                            "state",
                            "instanceId",
                            "pid",
                            "pidStartTime",
                            "mode",
                            "session",
                            "version",
                            "configPath",
                            "configChecksum",
                            "stateDir",
                            "bind",
                            "port",
                            "portSource",
                            "startedAt",
                            "heartbeatAt",
                            "phase",
                            "channels",
                            "shutdownReason",
                            "lastError",
                            "service",
                            "uptimeMs",
                            "rpc",
                            "url");
            assertThat(json)
                    .containsEntry("state", "running")
                    .containsEntry("phase", "running")
                    .containsEntry("session", "main")
                    .containsEntry("startedAt", "2025-03-01T10:00:00Z")
                    .containsEntry("port", healthz.port())
                    .containsEntry("uptimeMs", 90_000L);

            assertThat(paths.lockFile()).exists();
        }
        assertThat(inspector(paths, new HealthzProbe()).inspect().state())
                .as("after close")
                .isEqualTo(OwnerState.STOPPED);
    }

    @Test
    void aLiveOwnerThatDoesNotAnswerIsUnresponsive() {
        OwnerPaths paths = paths();
        try (GatewayOwner owner = GatewayOwner.acquire(paths, initial(paths).build(), clock)) {
            OwnerStatus status = inspector(paths, o -> ProbeResult.failed("connection refused"))
                    .inspect();

            assertThat(status.state()).isEqualTo(OwnerState.UNRESPONSIVE);
            assertThat(status.rpc()).isEqualTo("connection refused");
            assertThat(status.owner()).contains(owner.current());
        }
    }

    @Test
    void aProbeThatThrowsIsAFailedProbe() {
        OwnerPaths paths = paths();
        try (GatewayOwner owner = GatewayOwner.acquire(paths, initial(paths).build(), clock)) {
            OwnerStatus status = inspector(paths, o -> {
                        throw new IllegalStateException("boom");
                    })
                    .inspect();

            assertThat(status.state()).isEqualTo(OwnerState.UNRESPONSIVE);
            assertThat(status.rpc()).isEqualTo("probe failed: boom");
            assertThat(status.owner()).contains(owner.current());
        }
    }

    @Test
    void aHeldLockWithoutOwnerJsonIsUnresponsive() throws Exception {
        OwnerPaths paths = paths();
        try (GatewayOwner owner = GatewayOwner.acquire(paths, initial(paths).build(), clock)) {
            Files.delete(paths.ownerFile());

            OwnerStatus status = inspector(paths, o -> ProbeResult.success()).inspect();

            assertThat(status.state()).isEqualTo(OwnerState.UNRESPONSIVE);
            assertThat(status.problem()).contains("owner.lock is held but owner.json is missing");
            assertThat(owner.isClosed()).isFalse();
        }
    }

    @Test
    void aCorruptOwnerJsonIsReportedNotThrown() throws Exception {
        OwnerPaths paths = paths();
        Files.createDirectories(paths.gatewayDir());
        Files.writeString(paths.ownerFile(), "{\"instanceId\": tru");

        OwnerStatus stopped = inspector(paths, o -> ProbeResult.success()).inspect();

        assertThat(stopped.state()).isEqualTo(OwnerState.STOPPED);
        assertThat(stopped.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("owner.json is corrupt: "));
        assertThat(stopped.toJson()).containsEntry("problem", stopped.problem().orElseThrow());

        try (GatewayOwner owner = GatewayOwner.acquire(paths, initial(paths).build(), clock)) {
            Files.writeString(paths.ownerFile(), "][");

            OwnerStatus held = inspector(paths, o -> ProbeResult.success()).inspect();

            assertThat(held.state()).isEqualTo(OwnerState.UNRESPONSIVE);
            assertThat(held.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("owner.json is corrupt: "));
            assertThat(held.rpc()).isEqualTo("not probed: no readable owner.json");
            assertThat(owner.isClosed()).isFalse();
        }
    }

    @Test
    void aLivePhaseWithAFreeLockIsStaleAndATerminalOneStopped() throws Exception {
        OwnerPaths paths = paths();
        Files.createDirectories(paths.gatewayDir());
        for (Phase phase : Phase.values()) {
            OwnerRecord left = OwnerRecordTest.sample().withPhase(phase);
            OwnerFiles.writeAtomically(paths.ownerFile(), OwnerFiles.toJson(left));

            OwnerStatus status = inspector(paths, o -> ProbeResult.success()).inspect();

            assertThat(status.state())
                    .as(phase.wireName())
                    .isEqualTo(phase.live() ? OwnerState.STALE : OwnerState.STOPPED);
            assertThat(status.uptimeMs()).isZero();
            assertThat(status.owner()).contains(left);
        }
    }

    private static Map.Entry<String, Object> entry(String key, Object value) {
        return new java.util.AbstractMap.SimpleEntry<>(key, value);
    }
}
