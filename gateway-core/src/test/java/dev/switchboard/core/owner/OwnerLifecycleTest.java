package dev.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.owner.OwnerRecord.ChannelStatus;
import dev.switchboard.core.owner.OwnerRecord.Mode;
import dev.switchboard.core.owner.OwnerRecord.Phase;
import dev.switchboard.core.owner.internal.GatewayOwner;
import dev.switchboard.core.owner.internal.OwnerFiles;
import dev.switchboard.core.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerLifecycleTest {
    @TempDir
    Path tmp;

    private final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final List<GatewayOwner> owners = new java.util.ArrayList<>();

    @AfterEach
    void closeOwners() {
        owners.forEach(GatewayOwner::close);
    }

    private OwnerPaths paths() {
        return new OwnerPaths(tmp.resolve("state"));
    }

    private GatewayOwner acquire(OwnerPaths paths, OwnerRecord.Builder initial) {
        GatewayOwner owner = GatewayOwner.acquire(paths, initial.build(), clock);
        owners.add(owner);
        return owner;
    }

    private OwnerRecord.Builder initial(OwnerPaths paths) {
        return OwnerRecord.forStart(paths, Mode.GATEWAY, "0.1.0", clock);
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static JsonNode json(Path path) throws Exception {
        return new ObjectMapper().readTree(path.toFile());
    }

    @Test
    void acquireWritesTheOwnerFilesPrivately() throws Exception {
        OwnerPaths paths = paths();
        GatewayOwner owner = acquire(
                paths,
                initial(paths)
                        .session("main")
                        .configPath("/etc/sb.toml")
                        .port(18789)
                        .phase(Phase.RUNNING));

        assertThat(mode(paths.stateDir())).isEqualTo("rwx------");
        assertThat(mode(paths.gatewayDir())).isEqualTo("rwx------");
        assertThat(mode(paths.ownerFile())).isEqualTo("rw-------");
        assertThat(mode(paths.controlTokenFile())).isEqualTo("rw-------");
        assertThat(mode(paths.lockFile())).isEqualTo("rw-------");

        JsonNode json = json(paths.ownerFile());
        ProcessHandle self = ProcessHandle.current();
        assertThat(json.get("instanceId").asText())
                .isEqualTo(owner.current().instanceId())
                .isNotBlank();
        assertThat(json.get("pid").asLong()).isEqualTo(self.pid());
        assertThat(json.get("pidStartTime").asLong())
                .isEqualTo(self.info().startInstant().orElseThrow().toEpochMilli());
        assertThat(json.get("mode").asText()).isEqualTo("gateway");
        assertThat(json.get("session").asText()).isEqualTo("main");
        assertThat(json.get("version").asText()).isEqualTo("0.1.0");
        assertThat(json.get("configPath").asText()).isEqualTo("/etc/sb.toml");
        assertThat(json.get("stateDir").asText()).isEqualTo(paths.stateDir().toString());
        assertThat(json.get("bind").asText()).isEqualTo("127.0.0.1");
        assertThat(json.get("port").asInt()).isEqualTo(18789);
        assertThat(json.get("portSource").asText()).isEqualTo("default");
        assertThat(json.get("startedAt").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(json.get("heartbeatAt").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(json.get("phase").asText()).isEqualTo("running");
        assertThat(json.get("channels").isArray()).isTrue();
        assertThat(json.get("shutdownReason").isNull()).isTrue();
        assertThat(json.get("lastError").isNull()).isTrue();

        String token = Files.readString(paths.controlTokenFile());
        assertThat(token).isEqualTo(owner.controlToken()).doesNotContain("=").hasSize(43);
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        try (var files = Files.list(paths.gatewayDir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temp files left behind")
                    .containsExactlyInAnyOrder("owner.lock", "owner.json", "control.token");
        }
    }

    @Test
    void closeKeepsOwnerJsonStoppedDeletesTheTokenAndFreesTheLock() throws Exception {
        OwnerPaths paths = paths();
        GatewayOwner owner = acquire(paths, initial(paths).phase(Phase.RUNNING));
        String instanceId = owner.current().instanceId();
        clock.advance(Duration.ofSeconds(7));

        owner.close();

        JsonNode json = json(paths.ownerFile());
        assertThat(json.get("phase").asText()).isEqualTo("stopped");
        assertThat(json.get("shutdownReason").asText()).isEqualTo("closed");
        assertThat(json.get("instanceId").asText()).isEqualTo(instanceId);
        assertThat(json.get("heartbeatAt").asText()).isEqualTo("2025-03-01T10:00:07Z");
        assertThat(paths.controlTokenFile()).doesNotExist();
        assertThat(paths.lockFile()).exists();
        assertThat(new OwnerInspector(paths, clock, o -> ProbeResult.success()).lockHeld())
                .isFalse();
        assertThat(owner.isClosed()).isTrue();

        owner.close(Phase.FAILED, "again", "ignored");
        assertThat(json(paths.ownerFile()).get("phase").asText())
                .as("close is idempotent")
                .isEqualTo("stopped");
        assertThatThrownBy(() -> owner.update(r -> r)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeCanRecordAFailure() throws Exception {
        OwnerPaths paths = paths();
        GatewayOwner owner = acquire(paths, initial(paths));

        owner.close(Phase.FAILED, "startup failed", "port 18789 is taken");

        JsonNode json = json(paths.ownerFile());
        assertThat(json.get("phase").asText()).isEqualTo("failed");
        assertThat(json.get("shutdownReason").asText()).isEqualTo("startup failed");
        assertThat(json.get("lastError").asText()).isEqualTo("port 18789 is taken");
        GatewayOwner next = acquire(paths, initial(paths));
        assertThatThrownBy(() -> next.close(Phase.RUNNING, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("finalPhase: running (expected: stopped or failed)");
        assertThat(next.isClosed()).isFalse();
    }

    @Test
    void aSecondOwnerInTheSameJvmIsRefusedWithTheOperatorMessage() {
        OwnerPaths paths = paths();
        GatewayOwner first = acquire(paths, initial(paths).session("main").port(18789));

        assertThatThrownBy(() -> GatewayOwner.acquire(paths, initial(paths).build(), clock))
                .isInstanceOf(OwnerConflictException.class)
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                        .isEqualTo(SwitchboardException.Kind.CONFIG))
                .hasMessage("gateway already running (pid " + first.current().pid()
                        + ", session main, ws://127.0.0.1:18789); stop it with: switchboard gateway stop");

        assertThat(new OwnerInspector(paths, clock, o -> ProbeResult.success()).lockHeld())
                .as("the refused attempt must not have dropped the first owner's lock")
                .isTrue();
    }

    @Test
    void theConflictMessageCopesWithoutSessionOrPort() {
        OwnerPaths paths = paths();
        GatewayOwner first = acquire(paths, initial(paths));

        assertThatThrownBy(() -> GatewayOwner.acquire(paths, initial(paths).build(), clock))
                .hasMessage("gateway already running (pid " + first.current().pid()
                        + ", session -); stop it with: switchboard gateway stop");
    }

    @Test
    void theConflictMessageDialsAWildcardBindOnLoopback() {
        OwnerPaths paths = paths();
        acquire(paths, initial(paths).bind("::").port(19001));

        assertThatThrownBy(() -> GatewayOwner.acquire(paths, initial(paths).build(), clock))
                .hasMessageContaining(", ws://127.0.0.1:19001); ");
    }

    @Test
    void aStaleOwnerIsReclaimedWithANewInstance() throws Exception {
        OwnerPaths paths = paths();
        Files.createDirectories(paths.gatewayDir());
        OwnerRecord dead = OwnerRecordTest.sample().toBuilder()
                .instanceId("dead-instance")
                .pid(999_999)
                .build();
        OwnerFiles.writeAtomically(paths.ownerFile(), OwnerFiles.toJson(dead));

        GatewayOwner owner = acquire(paths, initial(paths));

        assertThat(owner.current().instanceId()).isNotEqualTo("dead-instance");
        assertThat(json(paths.ownerFile()).get("instanceId").asText())
                .isEqualTo(owner.current().instanceId());
        assertThat(json(paths.ownerFile()).get("pid").asLong())
                .isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void aCorruptOwnerJsonDoesNotBlockTheNextStart() throws Exception {
        OwnerPaths paths = paths();
        Files.createDirectories(paths.gatewayDir());
        Files.writeString(paths.ownerFile(), "{not json");

        GatewayOwner owner = acquire(paths, initial(paths));

        assertThat(json(paths.ownerFile()).get("instanceId").asText())
                .isEqualTo(owner.current().instanceId());
    }

    @Test
    void acquireStampsTheIdentityFieldsWhateverTheTemplateSays() {
        OwnerPaths paths = paths();
        OwnerRecord template = OwnerRecordTest.sample();

        GatewayOwner owner = acquire(paths, template.toBuilder());

        OwnerRecord r = owner.current();
        assertThat(r.instanceId()).isNotEqualTo(template.instanceId());
        assertThat(r.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(r.stateDir()).isEqualTo(paths.stateDir().toString());
        assertThat(r.startedAt()).isEqualTo(clock.instant());
        assertThat(r.session()).contains("main");
        assertThat(r.mode()).isEqualTo(Mode.MULTI_CHANNEL_SERVE);
    }

    @Test
    void updateWritesAtomicallyAndGuardsTheIdentity() throws Exception {
        OwnerPaths paths = paths();
        GatewayOwner owner = acquire(paths, initial(paths));

        owner.update(r -> r.withPort(40001)
                .withPhase(Phase.RUNNING)
                .withChannels(
                        List.of(new ChannelStatus("telegram", "bot", "degraded", Optional.of("401 Unauthorized")))));

        JsonNode json = json(paths.ownerFile());
        assertThat(json.get("port").asInt()).isEqualTo(40001);
        assertThat(json.get("phase").asText()).isEqualTo("running");
        assertThat(json.get("channels").get(0).get("lastError").asText()).isEqualTo("401 Unauthorized");
        assertThat(owner.current().port()).hasValue(40001);

        assertThatThrownBy(() -> owner.update(r -> r.toBuilder().pid(1).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(json(paths.ownerFile()).get("pid").asLong())
                .isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void heartbeatAdvancesAndSurvivesAFailedWrite() throws Exception {
        OwnerPaths paths = paths();
        GatewayOwner owner = acquire(paths, initial(paths));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            owner.startHeartbeat(scheduler, Duration.ofMillis(20));

            clock.advance(Duration.ofSeconds(5));
            awaitHeartbeat(paths, "2025-03-01T10:00:05Z");

            // a directory in owner.json's place makes every write fail; the heartbeat may rewrite
            // the file between our delete and mkdir, so try until the blocker is in place
            while (!Files.isDirectory(paths.ownerFile())) {
                try {
                    Files.deleteIfExists(paths.ownerFile());
                    Files.createDirectories(paths.ownerFile().resolve("blocker"));
                } catch (java.nio.file.FileSystemException e) {
                    // lost the race to a heartbeat write (owner.json is a file again, "Not a directory"): again
                }
            }
            clock.advance(Duration.ofSeconds(5));
            awaitNextBeat(scheduler); // it fails on the blocker
            Files.delete(paths.ownerFile().resolve("blocker"));
            Files.delete(paths.ownerFile());

            clock.advance(Duration.ofSeconds(5));
            awaitHeartbeat(paths, "2025-03-01T10:00:15Z");
            assertThat(owner.current().heartbeatAt()).isEqualTo("2025-03-01T10:00:15Z");

            assertThatThrownBy(() -> owner.startHeartbeat(scheduler, Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            owner.close();
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(json(paths.ownerFile()).get("phase").asText()).isEqualTo("stopped");
    }

    /** Returns after a heartbeat that started now or later: beats run on the scheduler's one thread every 20 ms. */
    private static void awaitNextBeat(ScheduledExecutorService scheduler) throws Exception {
        scheduler.submit(() -> {}).get(10, TimeUnit.SECONDS); // a beat running now is over; the next is due in 20 ms
        scheduler.schedule(() -> {}, 100, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
    }

    private static void awaitHeartbeat(OwnerPaths paths, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String seen = null;
        while (System.nanoTime() < deadline) {
            OwnerFiles.Read read = OwnerFiles.read(paths.ownerFile());
            seen = read.owner().map(o -> o.heartbeatAt().toString()).orElse(null);
            if (expected.equals(seen)) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(seen).as("heartbeatAt").isEqualTo(expected);
    }
}
