package dev.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.owner.OwnerRecord.ChannelStatus;
import dev.switchboard.core.owner.OwnerRecord.Mode;
import dev.switchboard.core.owner.OwnerRecord.Phase;
import dev.switchboard.core.owner.internal.OwnerFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerRecordTest {
    @TempDir
    Path dir;

    static OwnerRecord sample() {
        return OwnerRecord.builder()
                .instanceId("i-1")
                .pid(1234)
                .pidStartTime(1_700_000_000_123L)
                .mode(Mode.MULTI_CHANNEL_SERVE)
                .session("main")
                .version("0.1.0")
                .configPath("/etc/switchboard.toml")
                .configChecksum("1c291ca3")
                .stateDir("/var/lib/switchboard")
                .bind("127.0.0.1")
                .port(18789)
                .portSource(PortSource.ENV)
                .startedAt(Instant.parse("2025-01-02T03:04:05.678Z"))
                .heartbeatAt(Instant.parse("2025-01-02T03:04:10.678Z"))
                .phase(Phase.RUNNING)
                .channels(List.of(new ChannelStatus("telegram", "bot", "connected", Optional.empty())))
                .build();
    }

    @Test
    void writesTheDocumentedFieldNamesAndValues() throws Exception {
        JsonNode json = new ObjectMapper().readTree(OwnerFiles.toJson(sample()));

        assertThat(json.properties().stream().map(e -> e.getKey()))
                .containsExactly(
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
                        "service");
        assertThat(json.get("pid").asLong()).isEqualTo(1234);
        assertThat(json.get("pidStartTime").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(json.get("mode").asText()).isEqualTo("multi_channel_serve");
        assertThat(json.get("portSource").asText()).isEqualTo("env");
        assertThat(json.get("phase").asText()).isEqualTo("running");
        assertThat(json.get("startedAt").asText()).isEqualTo("2025-01-02T03:04:05.678Z");
        assertThat(json.get("port").asInt()).isEqualTo(18789);
        assertThat(json.get("shutdownReason").isNull()).isTrue();
        assertThat(json.get("service").isNull()).isTrue();
        assertThat(json.get("channels").get(0).toString())
                .isEqualTo("{\"channel\":\"telegram\",\"account\":\"bot\",\"state\":\"connected\",\"lastError\":null}");
    }

    @Test
    void roundTripsIncludingAbsentValues() {
        OwnerRecord sparse = sample().toBuilder()
                .session(null)
                .configPath(null)
                .configChecksum(null)
                .port(java.util.OptionalInt.empty())
                .build();

        assertThat(read(OwnerFiles.toJson(sample()))).contains(sample());
        assertThat(read(OwnerFiles.toJson(sparse))).contains(sparse);
    }

    @Test
    void recordsTheServiceManagerAndReadsAFileWrittenBeforeTheFieldExisted() throws Exception {
        OwnerRecord managed = sample().toBuilder()
                .service(Optional.of(new ServiceOwner(ServiceOwner.Manager.SYSTEMD, "switchboard-gateway.service")))
                .build();
        JsonNode json = new ObjectMapper().readTree(OwnerFiles.toJson(managed));
        String older = new String(OwnerFiles.toJson(sample()), StandardCharsets.UTF_8)
                .replace(",\"service\":null", "")
                .replace(",\n  \"service\" : null", "");

        assertThat(json.get("service").toString())
                .isEqualTo("{\"manager\":\"systemd\",\"name\":\"switchboard-gateway.service\"}");
        assertThat(read(OwnerFiles.toJson(managed))).contains(managed);
        assertThat(older).doesNotContain("service");
        assertThat(read(older.getBytes(StandardCharsets.UTF_8))).contains(sample());
    }

    @Test
    void ignoresFieldsItDoesNotKnowForForwardCompatibility() {
        String json = new String(OwnerFiles.toJson(sample()), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"addedInVersion9\":{\"x\":[1,2]},");

        assertThat(read(json.getBytes(StandardCharsets.UTF_8))).contains(sample());
    }

    @Test
    void reportsACorruptFileAsAProblemNotAnException() throws Exception {
        Path file = dir.resolve("owner.json");
        Files.writeString(file, "{\"instanceId\": \"i-1\", \"pid\": ");

        OwnerFiles.Read read = OwnerFiles.read(file);

        assertThat(read.owner()).isEmpty();
        assertThat(read.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("owner.json is corrupt: "));
    }

    @Test
    void reportsWrongTypesAndMissingFieldsAsProblems() throws Exception {
        Path file = dir.resolve("owner.json");
        Files.write(
                file,
                new String(OwnerFiles.toJson(sample()), StandardCharsets.UTF_8)
                        .replace("2025-01-02T03:04:05.678Z", "yesterday")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(OwnerFiles.read(file).problem())
                .contains("owner.json is corrupt: startedAt: \"yesterday\" (expected an ISO-8601 instant)");

        Files.write(
                file,
                new String(OwnerFiles.toJson(sample()), StandardCharsets.UTF_8)
                        .replace("\"running\"", "\"sleeping\"")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(OwnerFiles.read(file).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("phase: \"sleeping\" (expected one of"));

        Files.writeString(file, "[]");
        assertThat(OwnerFiles.read(file).problem()).isPresent();

        Files.writeString(file, "null");
        assertThat(OwnerFiles.read(file).problem()).contains("owner.json is corrupt: it holds JSON null");

        Files.writeString(file, "{\"instanceId\":\"i\"}");
        assertThat(OwnerFiles.read(file).problem()).contains("owner.json is corrupt: pid: missing (expected a number)");
    }

    @Test
    void aMissingFileIsNeitherARecordNorAProblem() {
        assertThat(OwnerFiles.read(dir.resolve("owner.json"))).isEqualTo(OwnerFiles.Read.MISSING);
    }

    @Test
    void rejectsAnImpossiblePort() {
        assertThatThrownBy(() -> sample().withPort(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port: 70000 (expected: 0..65535)");
    }

    private Optional<OwnerRecord> read(byte[] bytes) {
        try {
            Path file = Files.createTempFile(dir, "owner", ".json");
            Files.write(file, bytes);
            OwnerFiles.Read read = OwnerFiles.read(file);
            assertThat(read.problem()).isEmpty();
            return read.owner();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
