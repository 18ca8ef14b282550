package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Health#fromPlain} and {@link Health#toPlain} read and print a health snapshot exactly as the
 * protocol's Jackson mapper does, so the CLI's quick {@code health --json} prints what the full
 * command prints.
 */
class PlainHealthTest {
    private static final String FULL =
            """
            {"ok":false,"ts":1767225600000,"uptimeMs":10250,"version":"0.1.0","instanceId":"3f0c",
             "newerField":{"x":[1,2]},
             "store":{"ok":false,"latencyMs":12,"error":"database is locked \\"main\\"\\n"},
             "agent":{"provider":"openai","probe":{"ok":false,"detail":"HTTP 401 ☃"}},
             "channels":[
               {"channel":"telegram","account":"ops","state":"reconnecting","lastError":"HTTP 502",
                "resumesAt":"2026-01-01T00:00:12.250Z","stalled":true,"probe":{"ok":true,"detail":"@bot"}},
               {"channel":"feishu","account":"default","state":"connected","lastError":null,"resumesAt":null,
                "stalled":false}],
             "server":{"connections":3,"refusedConnections":0,"authFailures":2,"lockouts":1},
             "cluster":{"replicaId":"r1","members":[{"replicaId":"r1","url":"ws://10.0.0.1:18789","live":true,
                "heartbeatAt":1767225600000,"expiresAt":1767225615000}],
                "leases":[{"channel":"telegram","account":"ops","owner":null,"token":7,"held":false,
                "expiresAt":1767225615000}],"error":"read failed"}}
            """;

    /** Fields in another order, optional values null or left out, lists missing: Jackson's defaults. */
    private static final String SPARSE =
            """
            {"instanceId":"i","version":"v","store":null,"agent":{"provider":"echo","probe":null},
             "channels":[{"stalled":false,"state":"stopped","account":"a","channel":"c"}],
             "cluster":{"replicaId":"r2"}}
            """;

    @ParameterizedTest
    @ValueSource(strings = {FULL, SPARSE, "golden"})
    void printsWhatTheProtocolsMapperPrintsForTheSameSnapshot(String text) throws Exception {
        String json = text.equals("golden")
                ? FrameCodec.json()
                        .readTree(Golden.text("res-ok-health.json"))
                        .get("payload")
                        .toString()
                : text;
        Health databind = FrameCodec.json().readValue(json, Health.class);
        String expected = FrameCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(databind);

        Map<?, ?> plain = (Map<?, ?>) PlainJson.read(json.getBytes(StandardCharsets.UTF_8));
        Health read = Health.fromPlain(plain);

        assertThat(read).isEqualTo(databind);
        assertThat(PlainJson.pretty(read.toPlain())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"ok\":true,\"instanceId\":\"i\"}|version is missing (expected a string)",
                "{\"ok\":\"yes\",\"version\":\"v\",\"instanceId\":\"i\"}|ok is a string (expected true or false)",
                "{\"ts\":1.5,\"version\":\"v\",\"instanceId\":\"i\"}|ts is Double (expected an integer)",
                "{\"version\":\"v\",\"instanceId\":\"i\",\"channels\":[{\"channel\":\"c\",\"account\":\"a\","
                        + "\"state\":\"asleep\"}]}|channels[0].state: account state 'asleep'",
                "{\"version\":\"v\",\"instanceId\":\"i\",\"channels\":[{\"channel\":\"c\",\"account\":\"a\","
                        + "\"state\":\"connected\",\"resumesAt\":\"soon\"}]}|channels[0].resumesAt is 'soon'",
                "{\"version\":\"v\",\"instanceId\":\"i\",\"store\":[]}|store is ArrayList (expected map or null)",
            })
    void refusesWhatIsNotASnapshotNamingTheField(String line) throws Exception {
        String[] parts = line.split("\\|", 2);
        Map<?, ?> plain = (Map<?, ?>) PlainJson.read(parts[0].getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> Health.fromPlain(plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(parts[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"res-ok-health.json", "event-health.json"})
    void readsTheGoldenSnapshots(String name) throws Exception {
        JsonNode payload = FrameCodec.json().readTree(Golden.text(name)).get("payload");

        Health read =
                Health.fromPlain((Map<?, ?>) PlainJson.read(payload.toString().getBytes(StandardCharsets.UTF_8)));

        assertThat(read).isEqualTo(FrameCodec.json().treeToValue(payload, Health.class));
    }
}
