package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EncodeEventTest {
    @Test
    void aPreEncodedPayloadGivesTheSameFrameAsEncode() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var payload = json.createObjectNode().put("count", 3).put("note", "quote \" and \\ backslash");
        StateVersion version = new StateVersion(4, 2);
        String fast = FrameCodec.encodeEvent("presence", payload.toString(), 7, version);
        String full = FrameCodec.encode(new Frame.Event("presence", payload, OptionalLong.of(7), Optional.of(version)));

        assertThat(json.readTree(fast)).isEqualTo(json.readTree(full));
        assertThat(FrameCodec.decode(fast)).isEqualTo(FrameCodec.decode(full));
    }
}
