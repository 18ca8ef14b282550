package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Status#fromPlain}, {@link ChannelsStatus#fromPlain} and their {@code toPlain} read and print
 * the payloads exactly as the protocol's Jackson mapper does, so the CLI's quick {@code status} and
 * {@code channels status} print what the full commands print.
 */
class PlainStatusTest {
    /** Every field, a cluster, unknown fields. */
    private static final String STATUS_FULL =
            """
            {"instanceId":"3f0c","version":"0.1.0","pid":12248,"mode":"multi_channel_serve","session":"main",
             "uptimeMs":192000,"startedAt":"2026-01-01T00:00:08.125456Z","stateDir":"/srv/sb",
             "configPath":"/srv/sb/switchboard.toml","bind":"0.0.0.0","port":18789,"authMode":"password",
             "channels":[{"channel":"telegram","account":"ops","state":"reconnecting","extra":1},
                         {"channel":"feishu","account":"default","state":"connected"}],
             "connections":3,"newerField":[1,2],
             "cluster":{"replicaId":"r1","members":[{"replicaId":"r1","url":"ws://10.0.0.1:18789","live":true,
                "heartbeatAt":1767225600000,"expiresAt":1767225615000}],"leases":[],"error":null}}
            """;

    /** Optional values null or left out, no port (not bound yet), no channels. */
    private static final String STATUS_SPARSE =
            """
            {"connections":0,"authMode":"none","bind":"127.0.0.1","stateDir":"/s","startedAt":"2026-01-01T00:00:00Z",
             "mode":"gateway","version":"v","instanceId":"i","configPath":null}
            """;

    private static final String CHANNELS_FULL =
            """
            {"channels":[
               {"channel":"telegram","account":"ops","state":"degraded","lastError":"HTTP 401 \\"bad\\"\\n",
                "since":"2026-01-01T00:00:09Z","lastInboundAt":"2026-01-01T00:03:12.250Z","lastOutboundAt":null,
                "restarts":2,"inbound":12,"dropped":1,"outbound":11,"failed":1,"resumesAt":"2026-01-01T00:04:00Z",
                "probe":{"ok":false,"detail":"401 ☃"}},
               {"channel":"wecom","account":"a","state":"stopped","since":"2026-01-01T00:00:01.5Z"}],
             "unreachable":["feishu.b"]}
            """;

    @ParameterizedTest
    @ValueSource(strings = {STATUS_FULL, STATUS_SPARSE, "golden"})
    void statusPrintsWhatTheProtocolsMapperPrints(String text) throws Exception {
        String json = text.equals("golden") ? golden("res-ok-status.json") : text;
        Status databind = FrameCodec.json().readValue(json, Status.class);
        String expected = FrameCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(databind);

        Status read = Status.fromPlain(plain(json));

        assertThat(read).isEqualTo(databind);
        assertThat(PlainJson.pretty(read.toPlain())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {CHANNELS_FULL, "{}", "{\"channels\":[],\"unreachable\":[]}", "golden"})
    void channelsStatusPrintsWhatTheProtocolsMapperPrints(String text) throws Exception {
        String json = text.equals("golden") ? golden("res-ok-channels-status.json") : text;
        ChannelsStatus databind = FrameCodec.json().readValue(json, ChannelsStatus.class);
        String expected = FrameCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(databind);

        ChannelsStatus read = ChannelsStatus.fromPlain(plain(json));

        assertThat(read).isEqualTo(databind);
        assertThat(PlainJson.pretty(read.toPlain())).isEqualTo(expected);
        assertThat(PlainJson.pretty(ChannelsStatus.toPlain(read.channels())))
                .isEqualTo(FrameCodec.json().writerWithDefaultPrettyPrinter().writeValueAsString(databind.channels()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"instanceId\":\"i\",\"startedAt\":\"2026-01-01T00:00:00Z\"}|version is missing (expected a string)",
                "{\"instanceId\":\"i\",\"version\":\"v\",\"mode\":\"m\",\"stateDir\":\"s\",\"bind\":\"b\","
                        + "\"authMode\":\"none\"}|startedAt is missing",
                "{\"instanceId\":\"i\",\"version\":\"v\",\"mode\":\"m\",\"stateDir\":\"s\",\"bind\":\"b\","
                        + "\"authMode\":\"none\",\"startedAt\":\"yesterday\"}|startedAt is 'yesterday'",
                "{\"instanceId\":\"i\",\"version\":\"v\",\"mode\":\"m\",\"stateDir\":\"s\",\"bind\":\"b\","
                        + "\"authMode\":\"none\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"port\":\"80\"}"
                        + "|port is a string (expected an integer)",
                "{\"instanceId\":\"i\",\"version\":\"v\",\"mode\":\"m\",\"stateDir\":\"s\",\"bind\":\"b\","
                        + "\"authMode\":\"none\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"connections\":4294967296}"
                        + "|connections is Long (expected a 32-bit integer)",
            })
    void refusesWhatIsNotAStatusNamingTheField(String line) throws Exception {
        String[] parts = line.split("\\|", 2);

        assertThatThrownBy(() -> Status.fromPlain(plain(parts[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(parts[1]);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"channels\":[{\"channel\":\"c\",\"account\":\"a\",\"state\":\"connected\"}]}"
                        + "|channels[0].since is missing",
                "{\"channels\":[{\"channel\":\"c\",\"account\":\"a\",\"state\":\"connected\","
                        + "\"since\":\"2026-01-01T00:00:00Z\",\"probe\":{\"ok\":true}}]}"
                        + "|channels[0].probe.detail is missing (expected a string)",
                "{\"channels\":{}}|channels is LinkedHashMap (expected list or null)",
                "{\"channels\":[],\"unreachable\":[1]}|unreachable[0] is Long (expected a string)",
            })
    void refusesWhatIsNotAChannelsStatusNamingTheField(String line) throws Exception {
        String[] parts = line.split("\\|", 2);

        assertThatThrownBy(() -> ChannelsStatus.fromPlain(plain(parts[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(parts[1]);
    }

    private static Map<?, ?> plain(String json) throws Exception {
        return (Map<?, ?>) PlainJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String golden(String name) throws Exception {
        return FrameCodec.json().readTree(Golden.text(name)).get("payload").toString();
    }
}
