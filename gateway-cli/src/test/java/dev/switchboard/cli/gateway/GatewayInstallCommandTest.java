package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayInstallCommandTest {
    private static final String SECRET = "tok-5ecret-never-in-a-unit";
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path temp;

    private Path serviceDir;
    private CliHarness cli;

    @BeforeEach
    void setUp() {
        serviceDir = temp.resolve("units");
        cli = new CliHarness(temp.resolve("state dir %h"))
                .env(ServiceSetup.SERVICE_DIR_ENV, serviceDir.toString())
                .env("SWITCHBOARD_GATEWAY_TOKEN", SECRET);
    }

    @Test
    void installWritesASystemdUserUnitThatRunsTheGatewayOnThisStateDirWithoutASecret() throws Exception {
        assumeTrue(ServiceSetup.currentManager() == ServiceManager.SYSTEMD, "Linux only");

        Result result = cli.run("gateway", "install", "--token", SECRET);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Path unit = serviceDir.resolve("switchboard-gateway.service");
        assertThat(result.out())
                .contains("wrote " + unit)
                .contains("systemctl --user daemon-reload && systemctl --user enable --now switchboard-gateway.service")
                .contains(cli.stateDir().resolve("gateway.env").toString());
        String text = Files.readString(unit);
        String state = cli.stateDir().toString().replace("%", "%%");
        assertThat(text.lines())
                .contains(
                        "Restart=always",
                        "RestartPreventExitStatus=78",
                        "EnvironmentFile=-" + state + "/gateway.env",
                        "WorkingDirectory=" + state,
                        "WantedBy=default.target");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(text).contains("ExecStart=" + java + " ").contains(" --state-dir \"" + state + "\" gateway run\n");
        assertThat(text + result.out() + result.err()).doesNotContain(SECRET).doesNotContain("--token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit)))
                .isEqualTo("rw-r--r--");
        assertThat(cli.stateDir()).isDirectory();
        assertThat(serviceDir).isDirectoryNotContaining("glob:**.tmp");
        assertVerified(unit);
    }

    @Test
    void aProfileNamesItsOwnUnit() throws Exception {
        assumeTrue(ServiceSetup.currentManager() == ServiceManager.SYSTEMD, "Linux only");

        Result result = cli.run("gateway", "install", "--profile", "docs");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Path unit = serviceDir.resolve("switchboard-gateway-docs.service");
        assertThat(result.out()).contains("enable --now switchboard-gateway-docs.service");
        assertThat(Files.readString(unit))
                .contains(" --profile docs ")
                .contains("Description=Switchboard gateway (profile docs)");
        assertThat(serviceDir.resolve("switchboard-gateway.service")).doesNotExist();
        assertVerified(unit);
    }

    @Test
    void anInstalledUnitThatDiffersIsReplacedOnlyWithForce() throws IOException {
        assumeTrue(ServiceSetup.currentManager() == ServiceManager.SYSTEMD, "Linux only");
        assertThat(cli.run("gateway", "install").exitCode()).isZero();
        Path unit = serviceDir.resolve("switchboard-gateway.service");

        Result again = cli.run("gateway", "install");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("already installed: " + unit);

        Files.writeString(unit, "[Service]\nExecStart=/bin/true\n");
        Result refused = cli.run("gateway", "install");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err().strip())
                .isEqualTo("error: " + unit
                        + " exists and differs from the definition this would write; use --force to overwrite it");
        assertThat(Files.readString(unit)).isEqualTo("[Service]\nExecStart=/bin/true\n");

        Result forced = cli.run("gateway", "install", "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("replaced " + unit);
        assertThat(Files.readString(unit)).contains("RestartPreventExitStatus=78");
    }

    @Test
    void uninstallRemovesTheUnitButNotWhileSystemdStillHasItEnabled() throws IOException {
        assumeTrue(ServiceSetup.currentManager() == ServiceManager.SYSTEMD, "Linux only");
        assertThat(cli.run("gateway", "install").exitCode()).isZero();
        Path unit = serviceDir.resolve("switchboard-gateway.service");
        // what 'systemctl --user enable' leaves behind
        Path wants = Files.createDirectories(serviceDir.resolve("default.target.wants"));
        Path link = Files.createSymbolicLink(wants.resolve(unit.getFileName()), unit);

        Result refused = cli.run("gateway", "uninstall");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("systemctl --user disable --now switchboard-gateway.service");
        assertThat(unit).exists();

        Files.delete(link);
        Result removed = cli.run("gateway", "uninstall");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("removed " + unit);
        assertThat(unit).doesNotExist();

        Result nothing = cli.run("gateway", "uninstall");
        assertThat(nothing.exitCode()).as(nothing.toString()).isZero();
        assertThat(nothing.out()).contains("not installed");
    }

    @Test
    void aRelativeServiceDirIsAUsageError() {
        Result result = cli.env(ServiceSetup.SERVICE_DIR_ENV, "units").run("gateway", "install");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("SWITCHBOARD_SERVICE_DIR 'units' (expected: an absolute directory path)");
    }

    /** systemd's own parser accepts the unit (and finds the ExecStart program), where it is installed. */
    private static void assertVerified(Path unit) throws IOException, InterruptedException {
        if (!Files.isExecutable(SYSTEMD_ANALYZE)) {
            return;
        }
        // --man=no: no man pages to look up; system mode, as user mode needs a running user manager
        Process process = new ProcessBuilder(List.of(SYSTEMD_ANALYZE.toString(), "verify", "--man=no", unit.toString()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("systemd-analyze verify output").isEmpty();
        assertThat(process.exitValue()).isZero();
    }
}
