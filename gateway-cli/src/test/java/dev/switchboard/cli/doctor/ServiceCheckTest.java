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

    private static java.util.List<String> keys(JsonNode check) {
        return StreamSupport.stream(check.get("differences").spliterator(), false)
                .map(d -> d.get("key").asText())
                .toList();
    }

    @Test
    void aUnitWithAnotherJarAndWithoutAJvmOptionListsBothAndFixRewritesIt() throws Exception {
        assertThat(cli().run("gateway", "install").exitCode()).isZero();
        Path unit = units().resolve("switchboard-gateway.service");
        // installed by a release jar, before SWITCHBOARD_JAVA_OPTS was set
        String old = Files.readString(unit, StandardCharsets.UTF_8)
                .replaceFirst(
                        " -cp (\"[^\"]*\"|\\S+) dev\\.switchboard\\.cli\\.Main ",
                        " -jar /opt/switchboard-0.0.9/switchboard.jar ");
        Files.writeString(unit, old, StandardCharsets.UTF_8);
        CliHarness cli = cli().env("SWITCHBOARD_JAVA_OPTS", "-Xmx256m");

        Result json = cli.run("doctor", "--json");

        JsonNode check = StreamSupport.stream(
                        JSON.readTree(json.out()).get("checks").spliterator(), false)
                .filter(c -> c.get("name").asText().equals("service"))
                .findFirst()
                .orElseThrow();
        assertThat(check.get("status").asText()).isEqualTo("warn");
        JsonNode differences = check.get("differences");
        assertThat(differences).hasSize(2);
        assertThat(differences.get(0).get("key").asText()).isEqualTo("JVM options");
        assertThat(differences.get(0).get("installed").asText()).isEqualTo("(none)");
        assertThat(differences.get(0).get("expected").asText()).isEqualTo("-Xmx256m");
        assertThat(differences.get(1).get("key").asText()).isEqualTo("launcher");
        assertThat(differences.get(1).get("installed").asText())
                .isEqualTo("-jar /opt/switchboard-0.0.9/switchboard.jar");
        assertThat(differences.get(1).get("expected").asText())
                .startsWith("-cp ")
                .endsWith(" dev.switchboard.cli.Main");
        assertThat(cli.run("doctor").out())
                .contains("  JVM options: (none) → -Xmx256m\n")
                .contains("  launcher: -jar /opt/switchboard-0.0.9/switchboard.jar → -cp ");

        Result fix = cli.run("doctor", "--fix");

        assertThat(fix.out())
                .contains(
                        "fixed: rewrote " + unit + " as gateway install writes it now (JVM options: (none) → -Xmx256m;"
                                + " launcher: -jar /opt/switchboard-0.0.9/switchboard.jar → -cp ")
                .contains("the running service still has the old one until you run: systemctl --user daemon-reload"
                        + " && systemctl --user restart switchboard-gateway.service\n")
                .contains("ok    service ");
        assertThat(Files.readString(unit, StandardCharsets.UTF_8)).contains(" -Xmx256m -cp ");
        assertThat(cli.run("gateway", "install").out()).startsWith("already installed: " + unit);
        assertThat(cli.run("doctor", "--fix").out()).doesNotContain("rewrote");
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
                .startsWith("unit is out of date: " + unit + " differs from what gateway install writes now:\n"
                        + "java: /opt/jdk-11/bin/java → ")
                .contains("\nlauncher: -jar /opt/switchboard-0.0.9/switchboard.jar → -cp ")
                .endsWith("\nstate dir: (none) → " + tmp.resolve("state"));
        assertThat(keys(check)).containsExactly("java", "launcher", "state dir");
        assertThat(check.get("fix").asText())
                .isEqualTo("switchboard --state-dir " + tmp.resolve("state")
                        + " doctor --fix (rewrites it as gateway install --force does), then: systemctl --user"
                        + " daemon-reload && systemctl --user restart switchboard-gateway.service");

        assertThat(cli().run("gateway", "install", "--force").exitCode()).isZero();
        assertThat(serviceCheck().get("status").asText()).isEqualTo("ok");
    }
}
