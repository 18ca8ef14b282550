package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden frame that carries a typed payload round-trips through its record unchanged. */
class PayloadGoldenTest {
    /** Golden file to the record of its payload. */
    private static final Map<String, Class<? extends Record>> RECORDS = records();

    private static Map<String, Class<? extends Record>> records() {
        Map<String, Class<? extends Record>> records = new LinkedHashMap<>();
        records.put("res-hello-ok.json", HelloOk.class);
        records.put("res-ok-health.json", Health.class);
        records.put("event-health.json", Health.class);
        records.put("res-ok-status.json", Status.class);
        records.put("res-ok-channels-status.json", ChannelsStatus.class);
        records.put("event-channel.json", ChannelStatus.class);
        records.put("event-chat.json", ChatEvent.class);
        records.put("event-chat-final.json", ChatEvent.class);
        records.put("event-agent-lifecycle-start.json", AgentEvent.class);
        records.put("event-agent-assistant.json", AgentEvent.class);
        records.put("event-agent-lifecycle-end.json", AgentEvent.class);
        records.put("res-agent-accepted.json", AgentAccepted.class);
        records.put("res-agent-final.json", AgentResult.class);
        records.put("event-shutdown.json", Shutdown.class);
        records.put("res-logs-tail.json", LogsTail.class);
        return records;
    }

    static Stream<Arguments> typedGolden() {
        return RECORDS.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typedGolden")
    void goldenPayloadRoundTripsThroughItsRecord(String name, Class<? extends Record> type) throws Exception {
        JsonNode payload = payload(name);

        Record read = Payloads.read(payload, type);

        // parsed from the text the record writes, as a client sees it (ObjectNode equality ignores order)
        JsonNode written = FrameCodec.json().readTree(FrameCodec.json().writeValueAsString(read));
        assertThat(written).as(name).isEqualTo(payload);
        assertThat(Payloads.read(Payloads.toJson(read), type)).isEqualTo(read);
    }

    @Test
    void everyGoldenEventWithATypedPayloadIsRoundTripped() {
        Set<String> typedEvents = Set.of(Events.HEALTH, Events.CHANNEL, Events.CHAT, Events.AGENT, Events.SHUTDOWN);
        for (String name : Golden.names()) {
            if (FrameCodec.decode(Golden.text(name)) instanceof Frame.Event event
                    && typedEvents.contains(event.event())) {
                assertThat(RECORDS).as(name).containsKey(name);
            }
        }
    }

    @Test
    void helloOkBeforeTheFirstHealthSnapshotHasAnEmptyHealthObject() {
        HelloOk hello = Payloads.read(payload("res-hello-ok.json"), HelloOk.class);

        assertThat(hello.snapshot().health()).isEmpty();
        assertThat(hello.server().instanceId()).isEqualTo("7c0e4d2a9b1f");
        assertThat(hello.snapshot().configPath()).contains("/home/op/.switchboard/switchboard.conf");
        assertThat(hello.snapshot().presence().get(0).client()).contains("switchboard-cli");
        assertThat(hello.snapshot().presence().get(0).scopes()).isEmpty();
        assertThat(hello.policy().tickIntervalMs()).isEqualTo(15_000);
    }

    private static JsonNode payload(String name) {
        Frame frame = FrameCodec.decode(Golden.text(name));
        if (frame instanceof Frame.Event event) {
            return event.payload();
        }
        return ((Frame.Response) frame).payload().orElseThrow();
    }
}
