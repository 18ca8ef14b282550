package dev.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.server.internal.ConnectedClients;
import dev.switchboard.core.server.internal.ControlMethod;
import dev.switchboard.core.server.internal.HealthReport;
import dev.switchboard.core.server.internal.MethodRegistry;
import dev.switchboard.core.server.internal.ParamSpec;
import dev.switchboard.core.server.internal.ServerLimits;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every method's params are validated like config keys (SPEC §5.4): unknown or mistyped keys are refused. */
class MethodParamsTest {
    /** Values of every JSON kind: each param type accepts some and refuses others. */
    private static final List<JsonNode> SAMPLES = List.of(
            FrameCodec.json().getNodeFactory().textNode("x"),
            FrameCodec.json().getNodeFactory().booleanNode(false),
            FrameCodec.json().getNodeFactory().numberNode(4096),
            FrameCodec.json().getNodeFactory().numberNode(1.5),
            FrameCodec.json().createArrayNode().add(1));

    private final AtomicInteger ids = new AtomicInteger();
    private TestControlServer control;
    private TestSocket socket;

    @BeforeEach
    void connect() throws Exception {
        control = new TestControlServer(ServerLimits.DEFAULTS);
        socket = TestSocket.connected(control.port(), TestControlServer.TOKEN);
    }

    @AfterEach
    void close() {
        if (socket != null) {
            socket.close();
        }
        control.close();
    }

    private JsonNode call(String method, String params) throws Exception {
        String id = "r" + ids.incrementAndGet();
        socket.send("{\"type\":\"req\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":" + params + "}");
        JsonNode response = socket.nextSkippingEvents("presence", "tick");
        assertThat(response.path("id").asText()).isEqualTo(id);
        return response;
    }

    private void assertRefused(String method, String params, String message) throws Exception {
        JsonNode response = call(method, params);
        assertThat(response.at("/error/code").asText())
                .as(method + " " + params)
                .isEqualTo("INVALID_REQUEST");
        assertThat(response.at("/error/message").asText())
                .as(method + " " + params)
                .isEqualTo(message);
    }

    /** A later request on the same socket was answered, so anything the refused ones started has run. */
    private void assertNothingWasStopped() throws Exception {
        assertThat(call(Methods.CONFIG_GET, "{}").path("ok").asBoolean()).isTrue();
        assertThat(control.plane.stops).isEmpty();
        assertThat(control.plane.restarts).isEmpty();
    }

    @Test
    void healthAndStatusTakeAFlagProbeOnly() throws Exception {
        assertRefused(Methods.HEALTH, "{\"probe\":\"yes\"}", "probe: \"yes\" (expected: true or false)");
        assertRefused(Methods.HEALTH, "{\"bogus\":1}", "bogus: unknown param of health (expected one of: probe)");
        assertRefused(Methods.CHANNELS_STATUS, "{\"probe\":1}", "probe: 1 (expected: true or false)");
        assertRefused(Methods.STATUS, "{\"verbose\":true}", "verbose: unknown param of status (expected: no params)");
        assertRefused(
                Methods.SYSTEM_PRESENCE,
                "{\"all\":null}",
                "all: unknown param of system-presence (expected: no params)");
        assertThat(call(Methods.HEALTH, "{\"probe\":null}").path("ok").asBoolean())
                .as("null means absent")
                .isTrue();
    }

    @Test
    void gatewayStopAndRestartTakeNoParamsAndARefusedOneDoesNothing() throws Exception {
        assertRefused(
                Methods.GATEWAY_RESTART,
                "{\"bogus\":[1]}",
                "bogus: unknown param of gateway.restart (expected: no params)");
        assertRefused(
                Methods.GATEWAY_STOP, "{\"force\":true}", "force: unknown param of gateway.stop (expected: no params)");
        assertNothingWasStopped();
    }

    @Test
    void configGetTakesNoParams() throws Exception {
        assertRefused(
                Methods.CONFIG_GET,
                "{\"path\":\"gateway\"}",
                "path: unknown param of config.get (expected: no params)");
    }

    @Test
    void chatParamsAreTypedAndHistoryPagingParamsBounded() throws Exception {
        assertRefused(
                Methods.CHAT_SEND,
                "{\"sessionKey\":\"t\",\"message\":42,\"idempotencyKey\":\"k\"}",
                "message: 42 (expected: a non-blank string)");
        assertRefused(
                Methods.CHAT_SEND,
                "{\"message\":\"hi\",\"idempotencyKey\":\"k\"}",
                "sessionKey: missing (expected: a non-blank string)");
        assertRefused(
                Methods.CHAT_HISTORY,
                "{\"sessionKey\":\"t\",\"limit\":\"x\"}",
                "limit: \"x\" (expected: a positive integer)");
        assertRefused(
                Methods.CHAT_HISTORY, "{\"sessionKey\":\"t\",\"limit\":0}", "limit: 0 (expected: a positive integer)");
        assertRefused(
                Methods.CHAT_HISTORY,
                "{\"sessionKey\":\"t\",\"limit\":2.5}",
                "limit: 2.5 (expected: a positive integer)");
        assertRefused(
                Methods.CHAT_HISTORY,
                "{\"sessionKey\":\"t\",\"maxBytes\":10}",
                "maxBytes: 10 (expected: an integer >= 1024)");
        assertRefused(
                Methods.CHAT_HISTORY,
                "{\"sessionKey\":\"t\",\"cursor\":7}",
                "cursor: 7 (expected: a non-blank string)");
        assertRefused(
                Methods.CHAT_HISTORY,
                "{\"sessionKey\":\"t\",\"before\":\"1:2\"}",
                "before: unknown param of chat.history (expected one of: sessionKey, limit, cursor, maxBytes)");
        assertRefused(
                Methods.CHAT_ABORT,
                "{\"sessionKey\":\"t\",\"runId\":true}",
                "runId: true (expected: a non-blank string)");
    }

    @Test
    void sessionParams() throws Exception {
        assertRefused(
                Methods.SESSIONS_LIST, "{\"limit\":5}", "limit: unknown param of sessions.list (expected: no params)");
        assertRefused(
                Methods.SESSIONS_RESET, "{\"sessionKey\":\"\"}", "sessionKey: \"\" (expected: a non-blank string)");
    }

    @Test
    void agentParamsAreTypedAndWaitTimeoutsBounded() throws Exception {
        assertRefused(
                Methods.AGENT,
                "{\"message\":\"hi\",\"idempotencyKey\":\"k\",\"deliver\":\"yes\"}",
                "deliver: \"yes\" (expected: true or false)");
        assertRefused(
                Methods.AGENT,
                "{\"message\":\"hi\",\"idempotencyKey\":\"k\",\"model\":\"gpt\"}",
                "model: unknown param of agent (expected one of: message, idempotencyKey, sessionKey, channel,"
                        + " accountId, to, deliver)");
        assertRefused(
                Methods.AGENT_WAIT,
                "{\"runId\":\"r\",\"timeoutMs\":600001}",
                "timeoutMs: 600001 (expected: an integer from 0 to 600000)");
        assertRefused(
                Methods.AGENT_WAIT,
                "{\"runId\":\"r\",\"timeoutMs\":-1}",
                "timeoutMs: -1 (expected: an integer from 0 to 600000)");
    }

    @Test
    void sendParams() throws Exception {
        assertRefused(
                Methods.SEND,
                "{\"channel\":\"telegram\",\"to\":42,\"message\":\"m\",\"idempotencyKey\":\"k\"}",
                "to: 42 (expected: a non-blank string)");
        assertRefused(
                Methods.SEND,
                "{\"channel\":\"telegram\",\"to\":\"42\",\"message\":\"m\",\"idempotencyKey\":\"k\",\"priority\":1}",
                "priority: unknown param of send (expected one of: channel, accountId, to, message, idempotencyKey)");
    }

    @Test
    void everyRegisteredMethodRefusesAnUnknownKeyAWrongTypeAndParamsThatAreNotAnObject() throws Exception {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        List<ControlMethod> methods;
        try {
            FakeControlPlane plane = new FakeControlPlane();
            ConnectedClients clients = new ConnectedClients(timers);
            methods = MethodRegistry.v1(plane, ServerLimits.DEFAULTS, clients, new HealthReport(plane, clients), timers)
                    .all();
        } finally {
            timers.shutdownNow();
        }
        assertThat(methods).extracting(ControlMethod::name).containsExactlyInAnyOrderElementsOf(Methods.V1);

        for (ControlMethod method : methods) {
            String name = method.name();
            JsonNode unknown = call(name, "{\"bogus\":[1]}");
            assertThat(unknown.at("/error/code").asText()).as(name).isEqualTo("INVALID_REQUEST");
            assertThat(unknown.at("/error/message").asText()).as(name).startsWith("bogus: unknown param of " + name);
            assertRefused(name, "[1]", "invalid request: params is array (expected: an object)");
            for (ParamSpec.Param param : method.params().params()) {
                ObjectNode params = validParams(method.params());
                JsonNode wrong = SAMPLES.stream()
                        .filter(sample -> !param.type().accepts().test(sample))
                        .findFirst()
                        .orElseThrow();
                params.set(param.name(), wrong);
                assertRefused(
                        name,
                        params.toString(),
                        param.name() + ": " + wrong + " (expected: "
                                + param.type().expected() + ")");
            }
        }
        assertNothingWasStopped();
    }

    /** Every required param with a value its type accepts. */
    private static ObjectNode validParams(ParamSpec spec) {
        ObjectNode params = FrameCodec.json().createObjectNode();
        for (ParamSpec.Param param : spec.params()) {
            if (param.required()) {
                params.set(
                        param.name(),
                        SAMPLES.stream()
                                .filter(param.type().accepts())
                                .findFirst()
                                .orElseThrow());
            }
        }
        return params;
    }
}
