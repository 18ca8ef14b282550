package dev.switchboard.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor's {@code service} line against a unit {@code gateway install} wrote in a temp dir. */
class ServiceCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliHarness cli() {
        return new CliHarness(tmp.resolve("state")).env("SWITCHBOARD_SERVICE_DIR", units().toString());
    }

    private Path units() {
        return tmp.resolve("units");
    }

    private JsonNode serviceCheck() throws Exception {
        Result run = cli().run("doctor", "--json");
        JsonNode checks = JSON.readTree(run.out()).get("checks");
        return StreamSupport.stream(checks.spliterator(), false)
                .filter(check -> check.get("name").asText().equals("service"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no service check: " + run));
    }

    @Test
    void noUnitIsFineAndSaysHowToInstallOne() throws Exception {
        JsonNode check = serviceCheck();

        assertThat(check.get("status").asText()).isEqualTo("ok");
        assertThat(check.get("detail").asText())
                .isEqualTo("not installed (optional: switchboard --state-dir " + tmp.resolve("state")
                        + " gateway install)");
    }

    @Test
    void aUnitAsInstallWritesItIsUpToDate() throws Exception {
        assertThat(cli().run("gateway", "install").exitCode()).isZero();

        JsonNode check = serviceCheck();

        assertThat(check.get("status").asText()).isEqualTo("ok");
        assertThat(check.get("detail").asText())
                .startsWith("systemd switchboard-gateway.service installed, up to date");
    }

    @Test
    void aUnitThatRunsAnotherJarIsOutOfDateAndInstallForceFixesIt() throws Exception {
        assertThat(cli().run("gateway", "install").exitCode()).isZero();
        Path unit = units().resolve("switchboard-gateway.service");
        // what an upgrade leaves behind: the unit still starts the old java and jar
        String old = Files.readString(unit, StandardCharsets.UTF_8)
                .lines()
                .map(line -> line.startsWith("ExecStart=")
                        ? "ExecStart=/opt/jdk-11/bin/java -jar /opt/switchboard-0.0.9/switchboard.jar gateway run"
                        : line)
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(unit, old, StandardCharsets.UTF_8);

        JsonNode check = serviceCheck();

        assertThat(check.get("status").asText()).isEqualTo("warn");
        assertThat(check.get("detail").asText())
                .isEqualTo(
                        "unit is out of date: " + unit + " differs from what gateway install writes now (ExecStart)");
        assertThat(check.get("fix").asText())
                .isEqualTo("switchboard --state-dir " + tmp.resolve("state")
                        + " gateway install --force, then: systemctl --user daemon-reload");

        assertThat(cli().run("gateway", "install", "--force").exitCode()).isZero();
        assertThat(serviceCheck().get("status").asText()).isEqualTo("ok");
    }
}
