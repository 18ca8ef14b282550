package dev.switchboard.channel.feishu.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.switchboard.testkit.feishu.Pbbp2Frame;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The channel's pbbp2 codec against an independent one (the fake's, written separately) and protobuf's generic
 * reader, which knows nothing of either.
 */
class FrameTest {
    @Test
    void readsAFrameTheFakeWrites() throws Exception {
        Pbbp2Frame theirs = new Pbbp2Frame(
                7,
                123456789012L,
                42,
                Pbbp2Frame.DATA,
                List.of(
                        new Pbbp2Frame.Header("type", "event"), new Pbbp2Frame.Header("message_id", "m1"),
                        new Pbbp2Frame.Header("sum", "2"), new Pbbp2Frame.Header("seq", "1")),
                Optional.empty(),
                Optional.empty(),
                Optional.of("{\"schema\":\"2.0\"}".getBytes(UTF_8)),
                Optional.of("log-new"));

        Frame ours = Frame.decode(theirs.encode());

        assertThat(ours.seqId()).isEqualTo(7);
        assertThat(ours.logId()).isEqualTo(123456789012L);
        assertThat(ours.service()).isEqualTo(42);
        assertThat(ours.method()).isEqualTo(Frame.DATA);
        assertThat(ours.header("message_id")).hasValue("m1");
        assertThat(ours.header("seq")).hasValue("1");
        assertThat(ours.payload().toStringUtf8()).isEqualTo("{\"schema\":\"2.0\"}");
        assertThat(ours.extra()).containsExactly(new Frame.Extra(9, "log-new"));
    }

    @Test
    void anAcknowledgementReadsBackInTheFakeWithEveryRequiredFieldEvenZeros() throws Exception {
        Frame push = Frame.of(0, 0, 0, Frame.DATA, List.of(new Frame.Header("type", "event")), ByteString.EMPTY);
        Frame ack = push.with(
                List.of(new Frame.Header("type", "event"), new Frame.Header("biz_rt", "3")),
                ByteString.copyFromUtf8("{\"code\":200}"));

        byte[] bytes = ack.encode();
        Pbbp2Frame theirs = Pbbp2Frame.decode(bytes);
        UnknownFieldSet generic = UnknownFieldSet.parseFrom(bytes);

        assertThat(theirs.header("biz_rt")).hasValue("3");
        assertThat(theirs.payloadText()).isEqualTo("{\"code\":200}");
        // proto2 required fields are on the wire although they are zero (proto3 encoders would drop them)
        assertThat(generic.hasField(1)).isTrue();
        assertThat(generic.hasField(2)).isTrue();
        assertThat(generic.hasField(3)).isTrue();
        assertThat(generic.hasField(4)).isTrue();
        assertThat(generic.getField(4).getVarintList()).containsExactly((long) Frame.DATA);
        assertThat(Frame.decode(bytes)).isEqualTo(ack);
    }

    @Test
    void bytesThatAreNoFrameAreRefusedWithAReason() {
        assertThatThrownBy(() -> Frame.decode(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}))
                .isInstanceOf(Frame.MalformedFrameException.class)
                .hasMessageContaining("not a pbbp2 frame");
        // a valid protobuf message that lacks the required fields
        assertThatThrownBy(() -> Frame.decode(new byte[] {0x08, 0x01}))
                .isInstanceOf(Frame.MalformedFrameException.class)
                .hasMessageContaining("required");
    }
}
