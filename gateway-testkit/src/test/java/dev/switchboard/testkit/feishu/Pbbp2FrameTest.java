package dev.switchboard.testkit.feishu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The frame codec checked against protobuf's own generic reader and writer, not against itself. */
class Pbbp2FrameTest {
    @Test
    void requiredScalarsAreWrittenEvenWhenZero() throws Exception {
        Pbbp2Frame ping = new Pbbp2Frame(
                0,
                0,
                0,
                Pbbp2Frame.CONTROL,
                List.of(new Pbbp2Frame.Header("type", "ping")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        UnknownFieldSet fields = UnknownFieldSet.parseFrom(ping.encode());
        for (int field = 1; field <= 4; field++) {
            assertThat(fields.getField(field).getVarintList())
                    .as("field " + field)
                    .containsExactly(0L);
        }
        UnknownFieldSet header = UnknownFieldSet.parseFrom(
                fields.getField(5).getLengthDelimitedList().get(0));
        assertThat(header.getField(1).getLengthDelimitedList()).containsExactly(ByteString.copyFromUtf8("type"));
        assertThat(header.getField(2).getLengthDelimitedList()).containsExactly(ByteString.copyFromUtf8("ping"));
        assertThat(fields.hasField(8)).isFalse();
    }

    @Test
    void decodesAFrameWrittenByProtobufsGenericWriter() throws Exception {
        UnknownFieldSet header = UnknownFieldSet.newBuilder()
                .addField(
                        1,
                        UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("sum"))
                                .build())
                .addField(
                        2,
                        UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("1"))
                                .build())
                .build();
        byte[] bytes = UnknownFieldSet.newBuilder()
                .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                .addField(
                        2,
                        UnknownFieldSet.Field.newBuilder()
                                .addVarint(Long.MAX_VALUE)
                                .build())
                .addField(
                        3,
                        UnknownFieldSet.Field.newBuilder().addVarint(33554678).build())
                .addField(4, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .addField(
                        5,
                        UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(header.toByteString())
                                .build())
                .addField(
                        8,
                        UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("{}"))
                                .build())
                .addField(
                        9,
                        UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("log"))
                                .build())
                .addField(15, UnknownFieldSet.Field.newBuilder().addVarint(3).build()) // unknown: skipped
                .build()
                .toByteArray();
        Pbbp2Frame frame = Pbbp2Frame.decode(bytes);
        assertThat(frame.seqId()).isEqualTo(7);
        assertThat(frame.logId()).isEqualTo(Long.MAX_VALUE);
        assertThat(frame.service()).isEqualTo(33554678);
        assertThat(frame.method()).isEqualTo(Pbbp2Frame.DATA);
        assertThat(frame.header("sum")).contains("1");
        assertThat(frame.payloadText()).isEqualTo("{}");
        assertThat(frame.logIdNew()).contains("log");
        assertThat(Pbbp2Frame.decode(frame.encode())).isEqualTo(frame);
    }

    @Test
    void aFrameWithoutARequiredFieldIsRefusedNamingWhatIsMissing() {
        byte[] noMethod = UnknownFieldSet.newBuilder()
                .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .addField(2, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .addField(3, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .build()
                .toByteArray();
        assertThatThrownBy(() -> Pbbp2Frame.decode(noMethod))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("method=false");
        assertThatThrownBy(() -> Pbbp2Frame.decode("not protobuf at all".getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
