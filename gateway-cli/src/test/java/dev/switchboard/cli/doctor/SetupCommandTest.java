package dev.switchboard.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard setup} in a fresh HOME: what the first run creates, and that a second run changes nothing. */
class SetupCommandTest {
    @TempDir
    Path tmp;

    private Path home;
    private int freePort;

    @BeforeEach
    void setUp() throws IOException {
        home = tmp.resolve("home");
        Files.createDirectories(home);
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }
    }

    /** The CLI in this HOME; the port is a free one, so another gateway on this host does not fail the doctor. */
    private CliHarness cli() {
        return CliHarness.inHome(home).env("SWITCHBOARD_GATEWAY_PORT", Integer.toString(freePort));
    }

    /** Every file and directory under HOME: its bytes (files) and its mode. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path path : walk.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                String content = Files.isRegularFile(path) ? Files.readString(path, StandardCharsets.UTF_8) : "<dir>";
                files.put(home.relativize(path).toString(), mode + "\n" + content);
            }
        }
        return files;
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theFirstRunWritesStateDirConfigAndTokenFileAndTheSecondChangesNothing() throws IOException {
        Path state = home.resolve(".switchboard");
        Path config = state.resolve("switchboard.conf");
        Path token = state.resolve("gateway/gateway.token");

        Result first = cli().run("setup");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(token)).isEqualTo("rw-------");
        assertThat(mode(config)).isEqualTo("rw-------");
        assertThat(Files.readString(config, StandardCharsets.UTF_8))
                .contains("token = { file = \"" + token + "\" }")
                .contains("written by 'switchboard config init'"); // config init's starter, not a second template
        String value = Files.readString(token, StandardCharsets.UTF_8).strip();
        assertThat(first.out())
                .startsWith("switchboard setup: " + state + "\n")
                .contains("done: created " + state + " (0700)\n")
                .contains("done: generated a gateway token in " + token + " (0600)\n")
                .contains("done: wrote the starter config " + config)
                .contains("ok    auth ")
                .contains("0 failed, ")
                .contains("next: switchboard gateway run ")
                .contains("  or: switchboard gateway install ")
                .doesNotContain("nothing to do")
                .doesNotContain(value);
        assertThat(first.err()).doesNotContain(value);
        Map<String, String> before = snapshot();

        Result second = cli().run("setup");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out())
                .contains("nothing to do: state dir " + state + " (0700), config " + config + ", gateway token file "
                        + token + " (0600)\n")
                .doesNotContain("done: ")
                .doesNotContain(value);
        assertThat(snapshot()).isEqualTo(before);

        Result doctor = cli().run("doctor");
        assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
        assertThat(doctor.out()).contains("\n0 failed, ").doesNotContain("\nfail ");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void devSetupWritesTheDevStateDirAndItsConfigPassesTheDoctorAndValidates() throws IOException {
        Path state = home.resolve(".switchboard-dev");
        Path token = state.resolve("gateway/gateway.token");

        Result first = cli().run("--dev", "setup");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(token)).isEqualTo("rw-------");
        assertThat(Files.readString(state.resolve("switchboard.conf"), StandardCharsets.UTF_8))
                .contains("token = { file = \"" + token + "\" }");
        assertThat(first.out())
                .contains("next: switchboard --dev gateway run ")
                .doesNotContain(Files.readString(token, StandardCharsets.UTF_8).strip());
        assertThat(home.resolve(".switchboard")).doesNotExist();
        Map<String, String> before = snapshot();

        Result second = cli().run("setup", "--dev");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).contains("nothing to do: state dir " + state + " (0700)");
        assertThat(snapshot()).isEqualTo(before);
        Result doctor = cli().run("--dev", "doctor");
        assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
        assertThat(cli().run("--dev", "config", "validate").exitCode()).isZero();
    }

    @Test
    void aProfileGetsItsOwnStateDirAndTheNextCommandsNameIt() {
        Result run = cli().run("--profile", "work", "setup");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(home.resolve(".switchboard-work/switchboard.conf")).exists();
        assertThat(run.out()).contains("next: switchboard --profile work gateway run ");
    }

    @Test
    void anExplicitStateDirIsSetUpAndNamedInTheNextCommands() throws IOException {
        Path state = tmp.resolve("custom state");

        Result run = new CliHarness(state)
                .env("SWITCHBOARD_GATEWAY_PORT", Integer.toString(freePort))
                .run("setup");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(state.resolve("switchboard.conf")).exists();
        assertThat(run.out()).contains("next: switchboard --state-dir " + state + " gateway run ");
        assertThat(home.resolve(".switchboard")).doesNotExist();
    }

    @Test
    void aStateDirOthersCanReadIsTightened() throws IOException {
        Path state = home.resolve(".switchboard");
        Files.createDirectories(state);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result run = cli().run("setup");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("done: chmod 700 " + state + " (was 0755)\n");
        assertThat(mode(state)).isEqualTo("rwx------");
    }

    @Test
    void anExistingConfigWithoutATokenIsLeftAloneWithTheLineToAdd() throws IOException {
        Path state = home.resolve(".switchboard");
        Files.createDirectories(state);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        Path config = state.resolve("switchboard.toml");
        String mine = "# mine\n[gateway]\nbind = \"loopback\"\n";
        Files.writeString(config, mine, StandardCharsets.UTF_8);
        Path token = state.resolve("gateway/gateway.token");

        Result first = cli().run("setup");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(Files.readString(config, StandardCharsets.UTF_8)).isEqualTo(mine);
        assertThat(first.out())
                .contains("done: generated a gateway token in " + token + " (0600)\n")
                .contains("not done: " + config + " was not edited")
                .contains("to use the generated token add: token = { file = \"" + token + "\" } under [gateway.auth]");
        Map<String, String> before = snapshot();

        Result second = cli().run("setup");

        List<String> lines = new ArrayList<>(second.out().lines().toList());
        assertThat(lines).anyMatch(l -> l.startsWith("nothing to do: state dir " + state));
        assertThat(second.out()).contains("not done: " + config + " was not edited");
        assertThat(snapshot()).isEqualTo(before);
    }
}
