package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code pbbp2.Frame} of the long connection (chat-platforms.md §2.3), read and written with protobuf-java's
 * coded streams instead of generated code: the message is small and fixed, and a hand codec keeps the channel
 * independent of the fake's (docs/channels/feishu.md, "The frame codec"). The wire format is proto2 with SeqID,
 * LogID, service and method required, so they are always written, zeros included.
 *
 * @param seqId field 1
 * @param logId field 2
 * @param service field 3, the {@code service_id} of the connection URL
 * @param method field 4: {@link #CONTROL} or {@link #DATA}
 * @param headers field 5, in order
 * @param payload field 8, empty when absent
 * @param extra fields 6, 7 and 9 (payload encoding and type, LogIDNew), echoed unchanged in an acknowledgement
 */
public record Frame(
        long seqId, long logId, int service, int method, List<Header> headers, ByteString payload, List<Extra> extra) {
    public static final int CONTROL = 0;
    public static final int DATA = 1;

    private static final int SEQ_ID = 1;
    private static final int LOG_ID = 2;
    private static final int SERVICE = 3;
    private static final int METHOD = 4;
    private static final int HEADERS = 5;
    private static final int PAYLOAD = 8;
    private static final int HEADER_KEY = 1;
    private static final int HEADER_VALUE = 2;

    /** A {@code pbbp2.Header}. */
    public record Header(String key, String value) {
        public Header {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }
    }

    /** A string field the channel does not interpret (6 payload_encoding, 7 payload_type, 9 LogIDNew). */
    public record Extra(int field, String value) {
        public Extra {
            requireNonNull(value, "value is null");
        }
    }

    /** A frame that is not a {@code pbbp2.Frame}. */
    public static final class MalformedFrameException extends Exception {
        MalformedFrameException(String message) {
            super(message);
        }
    }

    public Frame {
        headers = List.copyOf(requireNonNull(headers, "headers is null"));
        requireNonNull(payload, "payload is null");
        extra = List.copyOf(requireNonNull(extra, "extra is null"));
    }

    /** A client frame: a ping or an acknowledgement. */
    public static Frame of(long seqId, long logId, int service, int method, List<Header> headers, ByteString payload) {
        return new Frame(seqId, logId, service, method, headers, payload, List.of());
    }

    /** The first value of header {@code key}. */
    public Optional<String> header(String key) {
        return headers.stream()
                .filter(h -> h.key().equals(key))
                .map(Header::value)
                .findFirst();
    }

    /** This frame with {@code headers} and {@code payload} instead of its own; ids and extras kept. */
    public Frame with(List<Header> newHeaders, ByteString newPayload) {
        return new Frame(seqId, logId, service, method, newHeaders, newPayload, extra);
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.size());
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeUInt64(SEQ_ID, seqId);
            out.writeUInt64(LOG_ID, logId);
            out.writeInt32(SERVICE, service);
            out.writeInt32(METHOD, method);
            for (Header header : headers) {
                out.writeTag(HEADERS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(CodedOutputStream.computeStringSize(HEADER_KEY, header.key())
                        + CodedOutputStream.computeStringSize(HEADER_VALUE, header.value()));
                out.writeString(HEADER_KEY, header.key());
                out.writeString(HEADER_VALUE, header.value());
            }
            for (Extra field : extra) {
                if (field.field() != 9) {
                    out.writeString(field.field(), field.value());
                }
            }
            if (!payload.isEmpty()) {
                out.writeBytes(PAYLOAD, payload);
            }
            for (Extra field : extra) {
                if (field.field() == 9) {
                    out.writeString(field.field(), field.value());
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e); // a ByteArrayOutputStream does not fail
        }
    }

    /** Reads a frame; unknown fields are skipped, as protobuf requires. */
    public static Frame decode(byte[] bytes) throws MalformedFrameException {
        requireNonNull(bytes, "bytes is null");
        @Nullable Long seqId = null;
        @Nullable Long logId = null;
        @Nullable Integer service = null;
        @Nullable Integer method = null;
        List<Header> headers = new ArrayList<>();
        List<Extra> extra = new ArrayList<>();
        ByteString payload = ByteString.EMPTY;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                int type = WireFormat.getTagWireType(tag);
                switch (field) {
                    case SEQ_ID -> {
                        expect(type, WireFormat.WIRETYPE_VARINT, field);
                        seqId = in.readUInt64();
                    }
                    case LOG_ID -> {
                        expect(type, WireFormat.WIRETYPE_VARINT, field);
                        logId = in.readUInt64();
                    }
                    case SERVICE -> {
                        expect(type, WireFormat.WIRETYPE_VARINT, field);
                        service = in.readInt32();
                    }
                    case METHOD -> {
                        expect(type, WireFormat.WIRETYPE_VARINT, field);
                        method = in.readInt32();
                    }
                    case HEADERS -> {
                        expect(type, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
                        headers.add(header(in.readBytes().newCodedInput()));
                    }
                    case PAYLOAD -> {
                        expect(type, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
                        payload = in.readBytes();
                    }
                    case 6, 7, 9 -> {
                        expect(type, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
                        extra.add(new Extra(field, in.readString()));
                    }
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new MalformedFrameException("not a pbbp2 frame (" + e.getMessage() + ")");
        }
        if (seqId == null || logId == null || service == null || method == null) {
            throw new MalformedFrameException("a pbbp2 frame without its required SeqID, LogID, service or method");
        }
        return new Frame(seqId, logId, service, method, headers, payload, extra);
    }

    private static Header header(CodedInputStream in) throws IOException, MalformedFrameException {
        @Nullable String key = null;
        @Nullable String value = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case HEADER_KEY -> key = in.readString();
                case HEADER_VALUE -> value = in.readString();
                default -> in.skipField(tag);
            }
        }
        if (key == null || value == null) {
            throw new MalformedFrameException("a pbbp2 header without its required key or value");
        }
        return new Header(key, value);
    }

    private static void expect(int type, int expected, int field) throws MalformedFrameException {
        if (type != expected) {
            throw new MalformedFrameException(
                    "pbbp2 field " + field + " has wire type " + type + " (expected " + expected + ")");
        }
    }

    @Override
    public String toString() {
        return "Frame[seq=" + seqId + ", log=" + logId + ", service=" + service + ", method=" + method + ", " + headers
                + ", " + payload.size() + " payload bytes]";
    }
}
