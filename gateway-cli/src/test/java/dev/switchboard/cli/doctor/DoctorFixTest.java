package dev.switchboard.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.config.SecretRef;
import dev.switchboard.core.owner.OwnerPaths;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.owner.internal.OwnerFiles;
import dev.switchboard.core.secrets.SecretResolver;
import dev.switchboard.core.server.ListenAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor --fix}: what it repairs, what it leaves alone, and that a second run changes nothing. */
class DoctorFixTest {
    private static final String GATEWAY_TOKEN = "gateway-token-value";

    @TempDir
    Path tmp;

    private Path stateDir;
    private OwnerPaths paths;
    private int freePort;

    @BeforeEach
    void setUp() throws IOException {
        stateDir = tmp.resolve("state");
        paths = new OwnerPaths(stateDir);
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }
    }

    private CliHarness cli() {
        return new CliHarness(stateDir).env("SWITCHBOARD_GATEWAY_TOKEN", GATEWAY_TOKEN);
    }

    private void writeConfig() throws IOException {
        Files.writeString(
                stateDir.resolve("switchboard.toml"),
                "[gateway]\nport = %d\n[gateway.auth]\ntoken = { env = \"SWITCHBOARD_GATEWAY_TOKEN\" }\n"
                        .formatted(freePort));
    }

    /** The pid of a process that ran and exited: a gateway that died without cleaning up. */
    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    /** An owner.json in phase running whose lock nobody holds. */
    private void ownerRecord(long pid, java.util.OptionalLong pidStartTime) throws IOException {
        Files.createDirectories(paths.gatewayDir());
        OwnerRecord record = OwnerRecord.forStart(paths, OwnerRecord.Mode.GATEWAY, "test", Clock.systemUTC())
                .pid(pid)
                .pidStartTime(pidStartTime)
                .port(freePort)
                .portSource(PortSource.CONFIG)
                .phase(OwnerRecord.Phase.RUNNING)
                .build();
        Files.write(paths.ownerFile(), OwnerFiles.toJson(record));
        Files.writeString(paths.lockFile(), "");
    }

    private static JsonNode json(Result run) throws IOException {
        return new ObjectMapper().readTree(run.out());
    }

    private static List<String> notOk(JsonNode json) {
        List<String> found = new ArrayList<>();
        json.get("checks").forEach(check -> {
            if (!check.get("status").asText().equals("ok")) {
                found.add(check.toString());
            }
        });
        return found;
    }

    @Test
    void fixRepairsOpenModesAndAStaleOwnerAndASecondRunChangesNothing() throws Exception {
        Files.createDirectories(stateDir);
        writeConfig();
        ownerRecord(deadPid(), java.util.OptionalLong.empty());
        Path token = Files.writeString(paths.controlTokenFile(), "leftover");
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(paths.gatewayDir(), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(paths.ownerFile(), PosixFilePermissions.fromString("rw-------"));

        Result before = cli().run("doctor");
        Result fixed = cli().run("doctor", "--fix");
        Result again = cli().run("doctor", "--fix", "--json");

        assertThat(before.out())
                .contains("fail  state dir ")
                .contains("fail  control.token ")
                .contains("warn  gateway owner ")
                .contains("died without cleaning up");
        assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
        assertThat(fixed.out())
                .contains("fixed: chmod 700 " + stateDir + " (was 0755)")
                .contains("fixed: chmod 600 " + token + " (was 0644)")
                .contains("fixed: removed the stale " + paths.ownerFile() + " of pid ")
                .contains("ok    gateway owner ")
                .doesNotContain("not fixed:");
        assertThat(paths.ownerFile()).doesNotExist();
        assertThat(paths.controlTokenFile()).doesNotExist();
        assertThat(paths.lockFile()).exists(); // the owner contract never deletes the lock file
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode json = json(again);
        assertThat(json.get("fixesApplied")).as(again.out()).isEmpty();
        assertThat(json.get("fixesDeclined")).isEmpty();
        assertThat(notOk(json)).isEmpty();
    }

    @Test
    void aLiveGatewaysOwnerFilesAreNeverTouched() throws IOException {
        Files.createDirectories(
                stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        writeConfig();
        GatewayConfig config = new ConfigLoader(ChannelRegistry.discover()).load(stateDir.resolve("switchboard.toml"));
        try (Gateway gateway = Gateway.builder()
                .config(config)
                .stateDir(stateDir)
                .registry(ChannelRegistry.discover())
                .secretResolver(new SecretResolver(
                        Map.of("SWITCHBOARD_GATEWAY_TOKEN", GATEWAY_TOKEN), SecretResolver.DEFAULT_EXEC_TIMEOUT))
                .listen(new ListenAddress("127.0.0.1", freePort, PortSource.CONFIG))
                .build()
                .start()) {
            String owner = Files.readString(paths.ownerFile());
            String control = Files.readString(paths.controlTokenFile());

            Result fixed = cli().run("doctor", "--fix");

            assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
            assertThat(fixed.out()).doesNotContain("fixed:").contains("ok    gateway owner ");
            assertThat(Files.readString(paths.ownerFile())).isEqualTo(owner);
            assertThat(Files.readString(paths.controlTokenFile())).isEqualTo(control);
            assertThat(gateway.instanceId()).isNotEmpty();
        }
    }

    @Test
    void aStaleRecordWhosePidStillRunsAsRecordedIsLeftInPlaceAndSaysWhy() throws IOException {
        Files.createDirectories(
                stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        writeConfig();
        // this JVM, as recorded, but not holding the lock (e.g. its gateway dir was replaced under it)
        ownerRecord(ProcessHandle.current().pid(), OwnerRecord.startTimeOf(ProcessHandle.current()));

        Result fixed = cli().run("doctor", "--fix");

        assertThat(fixed.out())
                .contains("not fixed: stale owner files left in place: owner.json names pid "
                        + ProcessHandle.current().pid() + ", which still runs as recorded")
                .doesNotContain("fixed: removed");
        assertThat(paths.ownerFile()).exists();
    }

    @Test
    void fixWritesTheStarterConfigWithAGeneratedTokenFileThatValidates() throws IOException {
        CliHarness fresh = new CliHarness(stateDir); // no SWITCHBOARD_GATEWAY_TOKEN: the token is generated

        Result fixed = fresh.run("doctor", "--fix", "--json");
        Result again = fresh.run("doctor", "--fix");
        Result validate = fresh.run("config", "validate");

        Path config = stateDir.resolve("switchboard.conf");
        Path tokenFile = paths.gatewayDir().resolve("gateway.token");
        String token = Files.readString(tokenFile).strip();
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
        JsonNode json = json(fixed);
        assertThat(json.get("fixesApplied").toString())
                .contains("generated a gateway token in " + tokenFile + " (0600)")
                .contains("wrote the starter config " + config)
                .doesNotContain(token);
        assertThat(fixed.out()).doesNotContain(token);
        assertThat(json.get("checks").toString()).contains("token from gateway.auth.token (file " + tokenFile + ")");
        GatewayConfig loaded = new ConfigLoader(ChannelRegistry.discover()).load(config);
        assertThat(loaded.gateway().auth().token()).contains(new SecretRef.File(tokenFile));
        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(again.out()).as(again.toString()).doesNotContain("fixed:").doesNotContain("not fixed:");
        assertThat(Files.readString(tokenFile).strip()).isEqualTo(token);
    }

    @Test
    void anOperatorsConfigIsNotEditedButGetsTheExactLineToAdd() throws IOException {
        Files.createDirectories(
                stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path config =
                Files.writeString(stateDir.resolve("switchboard.toml"), "[gateway]\nport = %d\n".formatted(freePort));
        CliHarness cli = new CliHarness(stateDir);

        Result fixed = cli.run("doctor", "--fix");
        Result again = cli.run("doctor", "--fix");

        Path tokenFile = paths.gatewayDir().resolve("gateway.token");
        String line = "token = { file = \"" + tokenFile + "\" } under [gateway.auth]";
        assertThat(Files.readString(config)).isEqualTo("[gateway]\nport = %d\n".formatted(freePort));
        assertThat(fixed.out())
                .contains("fixed: generated a gateway token in " + tokenFile + " (0600)")
                .contains("not fixed: " + config + " was not edited (doctor --fix edits only a config it wrote);"
                        + " to use the generated token add: " + line)
                .doesNotContain(Files.readString(tokenFile).strip());
        assertThat(again.out())
                .doesNotContain("fixed: generated")
                .contains("fix: use the token doctor --fix generated: add " + line);
    }
}
