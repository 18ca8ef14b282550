package dev.switchboard.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runbook's multiple-gateways checklist in {@code doctor}: one port, config and state dir per profile. */
class ProfileChecksTest {
    @TempDir
    Path home;

    private Path profile(String dirName, int port) throws IOException {
        Path dir = Files.createDirectory(
                home.resolve(dirName),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(
                dir.resolve("switchboard.toml"),
                "[gateway]\nport = %d\n[gateway.auth]\nmode = \"none\"\n".formatted(port));
        return dir;
    }

    @Test
    void twoProfilesOnOnePortFailNamingBoth() throws IOException {
        Path defaults = profile(".switchboard", 18901);
        Path work = profile(".switchboard-work", 18901);
        profile(".switchboard-dev", 18902);

        Result run = CliHarness.inHome(home).run("doctor", "--profile", "work");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.out())
                .contains("fail  profiles ")
                .contains("port 18901 is used by this profile work (" + work + ") (port from config) and by profile"
                        + " default (" + defaults + ") (port from config)")
                .contains("fix: give every profile its own gateway.port, config file and state dir")
                .doesNotContain("profile dev (");
    }

    @Test
    void distinctPortsAreOkAndCounted() throws IOException {
        profile(".switchboard", 18901);
        profile(".switchboard-work", 18903);
        profile(".switchboard-dev", 18902);
        Files.createDirectory(home.resolve(".switchboard-not a profile"));

        Result run = CliHarness.inHome(home).run("doctor", "--profile", "work");

        assertThat(run.out())
                .as(run.toString())
                .contains("ok    profiles ")
                .contains(
                        "2 other profiles, ports distinct (default: 18901 port from config, dev: 18902 port from config)");
    }

    @Test
    void aProfileWhoseStateDirIsAnotherProfilesFails() throws IOException {
        Path defaults = profile(".switchboard", 18901);
        Path alias = Files.createSymbolicLink(home.resolve(".switchboard-alias"), defaults);

        Result run = CliHarness.inHome(home).run("doctor");

        assertThat(run.out())
                .as(run.toString())
                .contains("fail  profiles ")
                .contains("this profile default (" + defaults + ") and profile alias (" + alias
                        + ") are the same state dir");
    }

    @Test
    void aProfilePointedAtAnotherProfilesConfigFileFails() throws IOException {
        Path defaults = profile(".switchboard", 18901);
        Path work = profile(".switchboard-work", 18903);
        Path shared = defaults.resolve("switchboard.toml");

        Result run = CliHarness.inHome(home).run("doctor", "--profile", "work", "--config", shared.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.out())
                .contains("fail  profiles ")
                .contains("this profile work (" + work + ") and profile default (" + defaults
                        + ") use the same config file " + shared);
    }
}
