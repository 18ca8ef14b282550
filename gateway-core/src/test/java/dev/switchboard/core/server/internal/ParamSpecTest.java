package dev.switchboard.core.server.internal;

import static dev.switchboard.core.server.internal.ParamSpec.optional;
import static dev.switchboard.core.server.internal.ParamSpec.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

class ParamSpecTest {
    private static final ParamSpec SPEC = ParamSpec.of(
            required("sessionKey", ParamSpec.Type.TEXT),
            optional("limit", ParamSpec.Type.integer(1, Long.MAX_VALUE)),
            optional("probe", ParamSpec.Type.FLAG));

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) FrameCodec.json().readTree(text);
    }

    private static void assertRefused(String params, String message) {
        assertThatThrownBy(() -> SPEC.validate("m", json(params)))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo("INVALID_REQUEST"))
                .hasMessage(message);
    }

    @Test
    void validParamsAreReadWithTheirTypes() throws Exception {
        Params params = SPEC.validate("m", json("{\"sessionKey\":\"s\",\"limit\":7,\"probe\":null}"));

        assertThat(params.text("sessionKey")).isEqualTo("s");
        assertThat(params.integer("limit")).hasValue(7);
        assertThat(params.flag("probe")).as("null means absent").isFalse();
        assertThatThrownBy(() -> params.optionalText("other"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("other is not a declared param");
    }

    @Test
    void numbersMustBeWholeAndInRange() {
        assertRefused("{\"sessionKey\":\"s\",\"limit\":1e3}", "limit: 1000.0 (expected: a positive integer)");
        assertRefused(
                "{\"sessionKey\":\"s\",\"limit\":123456789012345678901234567890}",
                "limit: 123456789012345678901234567890 (expected: a positive integer)");
        assertRefused("{\"sessionKey\":\"s\",\"limit\":\"7\"}", "limit: \"7\" (expected: a positive integer)");
        assertThat(ParamSpec.Type.integer(0, 10).expected()).isEqualTo("an integer from 0 to 10");
        assertThat(ParamSpec.Type.integer(1024, Long.MAX_VALUE).expected()).isEqualTo("an integer >= 1024");
    }

    @Test
    void refusalsStayOneShortLine() {
        assertRefused(
                "{\"sessionKey\":\"" + "x".repeat(500) + "\\n\",\"" + "k".repeat(100) + "\":1}",
                "k".repeat(40) + "...: unknown param of m (expected one of: sessionKey, limit, probe)");
        assertRefused(
                "{\"sessionKey\":\"line one\\nline " + "y".repeat(100) + "\",\"limit\":[\"" + "z".repeat(100) + "\"]}",
                "limit: [\"" + "z".repeat(38) + "... (expected: a positive integer)");
        assertRefused("{\"sessionKey\":\"   \"}", "sessionKey: \"   \" (expected: a non-blank string)");
        assertRefused("{}", "sessionKey: missing (expected: a non-blank string)");
    }
}
