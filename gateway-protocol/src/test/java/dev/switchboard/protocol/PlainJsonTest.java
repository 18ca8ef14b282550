package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlainJsonTest {
    private static Map<String, Object> sample() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("empty list", List.of());
        nested.put("empty map", Map.of());
        nested.put("quote\"and\\nunicode ☃", "tab\there, bell\u0007, newline\n");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", "running");
        json.put("pid", 1234L);
        json.put("port", 18789);
        json.put("ratio", 1.5);
        json.put("big", new BigInteger("123456789012345678901234567890"));
        json.put("ok", true);
        json.put("none", null);
        json.put("list", Arrays.asList(1, "two", null, false, nested));
        return json;
    }

    @Test
    void printsExactlyWhatJacksonDatabindsPrettyPrinterPrints() throws Exception {
        String databind = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(sample());

        assertThat(PlainJson.pretty(sample())).isEqualTo(databind);
    }

    @Test
    void readsBackWhatItWrites() throws Exception {
        Object read = PlainJson.read(PlainJson.pretty(sample()).getBytes(StandardCharsets.UTF_8));

        assertThat(PlainJson.pretty(read)).isEqualTo(PlainJson.pretty(sample()));
        assertThat(((Map<?, ?>) read).get("port")).isEqualTo(18789L);
    }

    @Test
    void readsWhatJacksonWritesIncludingEscapesAndBigNumbers() throws Exception {
        String databind = new ObjectMapper().writeValueAsString(sample());

        assertThat(PlainJson.pretty(PlainJson.read(databind.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(PlainJson.pretty(sample()));
        assertThat(PlainJson.read("\"\\u00e9\\/\\u0001\"".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("é/\u0001");
        assertThat(PlainJson.read("-12.5e1".getBytes(StandardCharsets.UTF_8))).isEqualTo(-125.0);
    }

    @Test
    void anOptionalIsItsValueOrNull() {
        assertThat(PlainJson.pretty(Optional.of("x"))).isEqualTo("\"x\"");
        assertThat(PlainJson.pretty(Optional.empty())).isEqualTo("null");
    }

    @Test
    void tellsPlainValuesFromOthers() {
        assertThat(PlainJson.isPlain(sample())).isTrue();
        assertThat(PlainJson.isPlain(Map.of("when", java.time.Instant.EPOCH))).isFalse();
        assertThat(PlainJson.isPlain(List.of(new Object()))).isFalse();
    }

    @Test
    void refusesTruncatedEmptyAndTrailingInput() {
        assertThatThrownBy(() -> PlainJson.read("{\"a\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PlainJson.read(new byte[0])).hasMessageContaining("empty input");
        assertThatThrownBy(() -> PlainJson.read("{} {}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("trailing content");
        assertThatThrownBy(() -> PlainJson.read("{\n  \"a\" : tru\n}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("unexpected characters (expected true) at line 2, column 9");
        assertThatThrownBy(() -> PlainJson.read("[1, 2".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unexpected end of input");
        assertThatThrownBy(() -> PlainJson.read("{\"a\" 1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("expected ':' at line 1, column 6");
    }
}
