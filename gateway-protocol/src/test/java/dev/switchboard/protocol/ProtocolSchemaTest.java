package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden frame satisfies {@code docs/protocol.schema.json}, and the schema is not vacuous. */
class ProtocolSchemaTest {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final ObjectNode SCHEMA = load();

    static List<String> goldenFiles() {
        return Golden.names();
    }

    @Test
    void schemaIsAValidDraft202012Schema() {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(meta.validate(SCHEMA)).isEmpty();
        assertThat(SCHEMA.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void goldenFrameSatisfiesTheSchema(String name) {
        assertThat(errors("#", Golden.json(name))).as(name).isEmpty();
    }

    @Test
    void goldenPayloadsSatisfyTheirDefinitions() {
        assertThat(errors("#/$defs/HelloOk", Golden.json("res-hello-ok.json").path("payload")))
                .isEmpty();
        assertThat(errors(
                        "#/$defs/ConnectParams", Golden.json("req-connect.json").path("params")))
                .isEmpty();
        assertThat(errors("#/$defs/Health", Golden.json("res-ok-health.json").path("payload")))
                .isEmpty();
        assertThat(errors("#/$defs/AgentParams", Golden.json("req-agent.json").path("params")))
                .isEmpty();
        assertThat(errors(
                        "#/$defs/AgentAccepted",
                        Golden.json("res-agent-accepted.json").path("payload")))
                .isEmpty();
        assertThat(errors(
                        "#/$defs/AgentResult",
                        Golden.json("res-agent-final.json").path("payload")))
                .isEmpty();
        assertThat(errors("#/$defs/Status", Golden.json("res-ok-status.json").path("payload")))
                .isEmpty();
        assertThat(errors(
                        "#/$defs/ChannelsStatus",
                        Golden.json("res-ok-channels-status.json").path("payload")))
                .isEmpty();
        assertThat(errors(
                        "#/$defs/ChatHistoryParams",
                        Golden.json("req-chat-history.json").path("params")))
                .isEmpty();
        assertThat(errors(
                        "#/$defs/ChatHistoryPage",
                        Golden.json("res-chat-history.json").path("payload")))
                .isEmpty();
    }

    @Test
    void logsTailDefinitionsAcceptTheGoldenFramesAndRefuseWhatTheGatewayRefuses() throws Exception {
        assertThat(errors(
                        "#/$defs/LogsTailParams",
                        Golden.json("req-logs-tail.json").path("params")))
                .isEmpty();
        assertThat(errors("#/$defs/LogsTail", Golden.json("res-logs-tail.json").path("payload")))
                .isEmpty();
        for (String bad : List.of("{\"level\":\"LOUD\"}", "{\"limit\":1001}", "{\"follow\":true}")) {
            assertThat(errors("#/$defs/LogsTailParams", FrameCodec.json().readTree(bad)))
                    .as(bad)
                    .isNotEmpty();
        }
        ObjectNode tail = (ObjectNode) Golden.json("res-logs-tail.json").path("payload");
        tail.remove("cursor");
        assertThat(errors("#/$defs/LogsTail", tail)).isNotEmpty();
        ObjectNode line = (ObjectNode) Golden.json("res-logs-tail.json").path("payload");
        ((ObjectNode) line.at("/lines/0")).remove("level");
        assertThat(errors("#/$defs/LogsTail", line)).isNotEmpty();
    }

    @Test
    void chatHistoryDefinitionsRefuseWhatTheGatewayRefuses() {
        ObjectNode params = (ObjectNode) Golden.json("req-chat-history.json").path("params");
        params.put("before", "7:1042");
        assertThat(errors("#/$defs/ChatHistoryParams", params))
                .as("unknown param")
                .isNotEmpty();
        ObjectNode small = (ObjectNode) Golden.json("req-chat-history.json").path("params");
        small.put("maxBytes", 100);
        assertThat(errors("#/$defs/ChatHistoryParams", small))
                .as("maxBytes below 1024")
                .isNotEmpty();
        ObjectNode page = (ObjectNode) Golden.json("res-chat-history.json").path("payload");
        page.remove("messages");
        assertThat(errors("#/$defs/ChatHistoryPage", page)).isNotEmpty();
    }

    @Test
    void heartbeatDefinitionsAcceptTheGoldenFramesAndRefuseWhatTheGatewayRefuses() throws Exception {
        assertThat(errors("#/$defs/WakeParams", Golden.json("req-wake.json").path("params")))
                .isEmpty();
        assertThat(errors(
                        "#/$defs/LastHeartbeat",
                        Golden.json("res-last-heartbeat.json").path("payload")))
                .isEmpty();
        assertThat(errors("#/$defs/WakeParams", FrameCodec.json().readTree("{\"text\":\"x\",\"mode\":\"later\"}")))
                .isNotEmpty();
        assertInvalid("#", "event-heartbeat.json", frame -> ((ObjectNode) frame.get("payload")).remove("delivered"));
        JsonNode event = Golden.json("event-heartbeat.json").path("payload");
        assertThat(Payloads.toJson(Payloads.read(event, HeartbeatEvent.class))).isEqualTo(event);
        JsonNode last = Golden.json("res-last-heartbeat.json").path("payload");
        assertThat(Payloads.toJson(Payloads.read(last, LastHeartbeat.class))).isEqualTo(last);
    }

    @Test
    void healthServerCarriesEveryCounter() {
        ObjectNode health = (ObjectNode) Golden.json("res-ok-health.json").path("payload");
        ((ObjectNode) health.get("server")).remove("lockouts");

        assertThat(errors("#/$defs/Health", health)).isNotEmpty();
    }

    @Test
    void agentEventsAreCheckedByStream() {
        assertInvalid(
                "#", "event-agent-assistant.json", frame -> ((ObjectNode) frame.at("/payload/data")).remove("delta"));
        assertInvalid("#", "event-agent-lifecycle-end.json", frame -> ((ObjectNode) frame.at("/payload/data"))
                .put("phase", "later"));
        assertInvalid(
                "#", "event-agent-lifecycle-start.json", frame -> ((ObjectNode) frame.get("payload")).remove("seq"));
        ObjectNode accepted =
                (ObjectNode) Golden.json("res-agent-accepted.json").path("payload");
        accepted.put("status", "ok");
        assertThat(errors("#/$defs/AgentAccepted", accepted)).isNotEmpty();
    }

    @Test
    void schemaRefusesWhatTheCodecRefuses() {
        assertInvalid("#", "req-health.json", frame -> frame.remove("id"));
        assertInvalid("#", "req-health.json", frame -> frame.put("extra", 1));
        assertInvalid("#", "req-connect.json", frame -> ((ObjectNode) frame.get("params")).remove("minProtocol"));
        assertInvalid("#", "req-connect.json", frame -> ((ObjectNode) frame.get("params")).put("role", "node"));
        assertInvalid("#", "res-ok-health.json", frame -> frame.put("ok", "yes"));
        assertInvalid("#", "res-error-forbidden.json", frame -> frame.remove("error"));
        assertInvalid("#", "res-error-forbidden.json", frame -> ((ObjectNode) frame.get("error")).put("code", "NOPE"));
        assertInvalid("#", "event-tick.json", frame -> frame.remove("seq"));
        assertInvalid("#", "event-connect-challenge.json", frame -> frame.put("seq", 1));
        assertInvalid("#", "event-channel.json", frame -> ((ObjectNode) frame.get("payload")).remove("since"));
        assertInvalid("#", "event-shutdown.json", frame -> ((ObjectNode) frame.get("payload")).remove("reason"));
        assertInvalid("#", "event-config-changed.json", frame -> ((ObjectNode) frame.get("payload")).remove("paths"));
    }

    @Test
    void helloOkDefinitionRequiresTheSpecShape() {
        for (String field : List.of("type", "protocol", "server", "features", "snapshot", "auth", "policy")) {
            ObjectNode hello = (ObjectNode) Golden.json("res-hello-ok.json").path("payload");
            hello.remove(field);
            assertThat(errors("#/$defs/HelloOk", hello)).as("without " + field).isNotEmpty();
        }
        ObjectNode hello = (ObjectNode) Golden.json("res-hello-ok.json").path("payload");
        ((ObjectNode) hello.get("policy")).remove("tickIntervalMs");
        assertThat(errors("#/$defs/HelloOk", hello)).isNotEmpty();
        // a later gateway may add fields: clients ignore them, so the schema allows them
        ObjectNode extended = (ObjectNode) Golden.json("res-hello-ok.json").path("payload");
        extended.putObject("controlUi").put("basePath", "/");
        assertThat(errors("#/$defs/HelloOk", extended)).isEmpty();
    }

    private static void assertInvalid(String pointer, String name, Consumer<ObjectNode> change) {
        ObjectNode frame = (ObjectNode) Golden.json(name);
        change.accept(frame);
        assertThat(errors(pointer, frame)).as(name + " changed to " + frame).isNotEmpty();
    }

    private static Set<ValidationMessage> errors(String pointer, JsonNode value) {
        ObjectNode schema = SCHEMA.deepCopy();
        if (!pointer.equals("#")) {
            schema.remove("oneOf");
            schema.put("$ref", pointer);
        }
        return FACTORY.getSchema(schema).validate(value);
    }

    private static ObjectNode load() {
        try {
            Path path = Path.of(System.getProperty("user.dir")).resolve("../docs/protocol.schema.json");
            return (ObjectNode) FrameCodec.json().readTree(Files.readString(path));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read docs/protocol.schema.json", e);
        }
    }
}
