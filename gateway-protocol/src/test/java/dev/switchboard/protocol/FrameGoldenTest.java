package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FrameGoldenTest {
    static List<String> goldenFiles() {
        return Golden.names();
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void goldenFrameRoundTripsThroughTheCodec(String name) throws Exception {
        JsonNode golden = Golden.json(name);

        Frame frame = FrameCodec.decode(Golden.text(name));
        JsonNode encoded = FrameCodec.json().readTree(FrameCodec.encode(frame));

        // ObjectNode equality ignores field order
        assertThat(encoded).as(name).isEqualTo(golden);
        assertThat(FrameCodec.decode(FrameCodec.encode(frame))).isEqualTo(frame);
    }

    @Test
    void everyFrameKindAndErrorCodeHasAGoldenFile() {
        List<String> names = Golden.names();
        assertThat(names)
                .contains(
                        "req-health.json",
                        "req-connect.json",
                        "res-ok-health.json",
                        "res-hello-ok.json",
                        "event-connect-challenge.json",
                        "event-tick.json",
                        "event-presence.json",
                        "event-health.json",
                        "event-channel.json",
                        "event-shutdown.json");
        Set<String> codes = new TreeSet<>();
        List<String> events = new ArrayList<>();
        for (String name : names) {
            Frame frame = FrameCodec.decode(Golden.text(name));
            if (frame instanceof Frame.Response response) {
                response.error().ifPresent(error -> codes.add(error.code()));
            } else if (frame instanceof Frame.Event event) {
                events.add(event.event());
                if (event.event().equals(Events.CONNECT_CHALLENGE)) {
                    assertThat(event.seq()).as("challenge has no seq").isEmpty();
                } else {
                    assertThat(event.seq()).as(name + " seq").isPresent();
                    assertThat(event.stateVersion()).as(name + " stateVersion").isPresent();
                }
            }
        }
        assertThat(codes)
                .contains(
                        ErrorCodes.INVALID_REQUEST,
                        ErrorCodes.UNAUTHORIZED,
                        ErrorCodes.FORBIDDEN,
                        ErrorCodes.PROTOCOL_MISMATCH,
                        ErrorCodes.RATE_LIMITED);
        assertThat(events).containsAll(Events.V1).contains(Events.CONNECT_CHALLENGE);
    }

    @Test
    void theAgentExchangeIsTwoResponsesOnOneRequestIdWithTheRunsEventsBetween() {
        Frame.Request request = (Frame.Request) FrameCodec.decode(Golden.text("req-agent.json"));
        Frame.Response accepted = (Frame.Response) FrameCodec.decode(Golden.text("res-agent-accepted.json"));
        Frame.Response last = (Frame.Response) FrameCodec.decode(Golden.text("res-agent-final.json"));
        List<Frame.Event> events = List.of(
                        "event-agent-lifecycle-start.json",
                        "event-agent-assistant.json",
                        "event-agent-lifecycle-end.json")
                .stream()
                .map(name -> (Frame.Event) FrameCodec.decode(Golden.text(name)))
                .toList();

        assertThat(request.method()).isEqualTo(Methods.AGENT);
        assertThat(accepted.id()).isEqualTo(request.id());
        assertThat(last.id()).isEqualTo(request.id());
        String runId = accepted.payload().orElseThrow().path("runId").asText();
        assertThat(accepted.payload().orElseThrow().path("status").asText()).isEqualTo("accepted");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.event()).isEqualTo(Events.AGENT);
            assertThat(event.payload().path("runId").asText()).isEqualTo(runId);
        });
        assertThat(events.stream().map(e -> e.payload().path("seq").asInt()).toList())
                .isSorted();
        assertThat(last.payload().orElseThrow().path("runId").asText()).isEqualTo(runId);
        assertThat(last.payload().orElseThrow().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void goldenErrorsCarryTheirDetails() {
        ErrorShape forbidden = error("res-error-forbidden.json");
        assertThat(forbidden.details().path("missingScope").asText()).isEqualTo(Scopes.ADMIN);
        assertThat(forbidden.message()).isEqualTo("missing scope: operator.admin");

        ErrorShape unauthorized = error("res-error-unauthorized.json");
        assertThat(unauthorized.details().isEmpty()).isFalse();
        assertThat(unauthorized.message()).contains("SWITCHBOARD_GATEWAY_TOKEN");

        ErrorShape limited = error("res-error-rate-limited.json");
        assertThat(limited.retryable()).isTrue();
        assertThat(limited.retryAfterMs()).isEqualTo(300_000);
    }

    @Test
    void goldenConnectParamsDecode() {
        Frame.Request connect = (Frame.Request) FrameCodec.decode(Golden.text("req-connect.json"));
        ConnectParams params = ConnectParams.from(connect.params());
        assertThat(params.minProtocol()).isEqualTo(Protocol.VERSION);
        assertThat(params.scopes()).isEqualTo(Scopes.ALL);
        assertThat(params.token()).contains("<gateway-token>");
        assertThat(params.toString()).doesNotContain("<gateway-token>").contains("token=<redacted>");
        assertThat(params.toJson()).isEqualTo(connect.params());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "unknown request field | {\"type\":\"req\",\"id\":\"1\",\"method\":\"health\",\"params\":{},\"extra\":1}"
                        + " | invalid request: unknown field 'extra' (expected: id, method, params, type)",
                "unknown response field | {\"type\":\"res\",\"id\":\"1\",\"ok\":true,\"payload\":{},\"trace\":\"x\"}"
                        + " | invalid response: unknown field 'trace' (expected: error, id, ok, payload, type)",
                "unknown event field | {\"type\":\"event\",\"event\":\"tick\",\"payload\":{},\"seq\":1,\"at\":1}"
                        + " | invalid event: unknown field 'at' (expected: event, payload, seq, stateVersion, type)",
                "unknown error field | {\"type\":\"res\",\"id\":\"1\",\"ok\":false,\"error\":{\"code\":\"INTERNAL\",\"message\":\"m\",\"hint\":\"h\"}}"
                        + " | invalid error: unknown field 'hint' (expected: code, details, message, retryAfterMs, retryable)",
                "missing id | {\"type\":\"req\",\"method\":\"health\",\"params\":{}}"
                        + " | invalid request: id is missing (expected: a non-empty string)",
                "empty id | {\"type\":\"req\",\"id\":\"\",\"method\":\"health\"}"
                        + " | invalid request: id is empty (expected: a non-empty string)",
                "numeric id | {\"type\":\"req\",\"id\":7,\"method\":\"health\"}"
                        + " | invalid request: id is number (expected: a non-empty string)",
                "missing response id | {\"type\":\"res\",\"ok\":true,\"payload\":{}}"
                        + " | invalid response: id is missing (expected: a non-empty string)",
                "missing method | {\"type\":\"req\",\"id\":\"1\"}"
                        + " | invalid request: method is missing (expected: a non-empty string)",
                "params not an object | {\"type\":\"req\",\"id\":\"1\",\"method\":\"health\",\"params\":[1]}"
                        + " | invalid request: params is array (expected: an object)",
                "ok not a boolean | {\"type\":\"res\",\"id\":\"1\",\"ok\":\"yes\"}"
                        + " | invalid response: ok is 'yes' (expected: true or false)",
                "failed response without error | {\"type\":\"res\",\"id\":\"1\",\"ok\":false}"
                        + " | invalid response: ok is false but error is missing (expected: an object)",
                "error code not a string | {\"type\":\"res\",\"id\":\"1\",\"ok\":false,\"error\":{\"code\":1,\"message\":\"m\"}}"
                        + " | invalid error: code is number (expected: a non-empty string)",
                "seq not an integer | {\"type\":\"event\",\"event\":\"tick\",\"seq\":\"one\"}"
                        + " | invalid event: seq is 'one' (expected: an integer)",
                "event name missing | {\"type\":\"event\",\"payload\":{}}"
                        + " | invalid event: event is missing (expected: a non-empty string)",
                "unknown type | {\"type\":\"ping\",\"id\":\"1\"}"
                        + " | invalid frame: type 'ping' (expected: req, res or event)",
                "no type | {\"id\":\"1\",\"method\":\"health\"}"
                        + " | invalid frame: type missing (expected: req, res or event)",
                "array | [1,2] | invalid frame: expected a JSON object",
                "string | `\"connect\"` | invalid frame: expected a JSON object",
                "number | 42 | invalid frame: expected a JSON object",
                "garbage | {not json"
                        + " | invalid frame: not JSON (Unexpected character ('n' (code 110)): was expecting double-quote to start field name)",
            })
    void codecRefusesMalformedFramesWithOneLineMessages(String caseName, String text, String message) {
        assertThatThrownBy(() -> FrameCodec.decode(text)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
            assertThat(e.getMessage()).isEqualTo(message).doesNotContain("\n");
        });
    }

    @Test
    void serverFramesMayCarryFieldsThisVersionDoesNotKnow() {
        String text = "{\"type\":\"res\",\"id\":\"1\",\"ok\":true,\"payload\":{\"a\":1},\"traceparent\":\"00-ab\"}";
        assertThatThrownBy(() -> FrameCodec.decode(text)).isInstanceOf(ProtocolException.class);

        Frame frame = FrameCodec.decodeFromServer(text);

        assertThat(frame).isInstanceOf(Frame.Response.class);
        assertThat(((Frame.Response) frame).payload().orElseThrow().path("a").asInt())
                .isEqualTo(1);
        // known fields stay checked
        assertThatThrownBy(() -> FrameCodec.decodeFromServer("{\"type\":\"res\",\"ok\":true}"))
                .hasMessage("invalid response: id is missing (expected: a non-empty string)");
    }

    private static ErrorShape error(String name) {
        return ((Frame.Response) FrameCodec.decode(Golden.text(name))).error().orElseThrow();
    }
}
