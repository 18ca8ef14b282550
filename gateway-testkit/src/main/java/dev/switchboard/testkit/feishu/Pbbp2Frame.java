package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One frame of the Feishu/Lark long connection: the {@code pbbp2.Frame} protobuf message (proto2) that travels
 * in binary WebSocket messages. Encoded and decoded with protobuf-java's {@link CodedOutputStream} and {@link
 * CodedInputStream} rather than generated code, for nine fields:
 *
 * <pre>
 * message Header { required string key = 1; required string value = 2; }
 * message Frame  { required uint64 SeqID = 1; required uint64 LogID = 2; required int32 service = 3;
 *                  required int32 method = 4; repeated Header headers = 5; optional string payload_encoding = 6;
 *                  optional string payload_type = 7; optional bytes payload = 8; optional string LogIDNew = 9; }
 * </pre>
 *
 * The four required scalars are always written, zeros included: the official Java SDK parses with generated
 * proto2 code and rejects a frame that lacks them. Optional fields are written only when present.
 *
 * @param method {@link #CONTROL} (ping, pong) or {@link #DATA} (events and their acknowledgements)
 * @param headers in order; keys may repeat (the first one wins when read with {@link #header})
 */
public record Pbbp2Frame(
        long seqId,
        long logId,
        int service,
        int method,
        List<Header> headers,
        Optional<String> payloadEncoding,
        Optional<String> payloadType,
        Optional<byte[]> payload,
        Optional<String> logIdNew) {

    public static final int CONTROL = 0;
    public static final int DATA = 1;

    /** A {@code pbbp2.Header}: one key/value pair. */
    public record Header(String key, String value) {
        public Header {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }
    }

    public Pbbp2Frame {
        headers = List.copyOf(headers);
        requireNonNull(payloadEncoding, "payloadEncoding is null");
        requireNonNull(payloadType, "payloadType is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(logIdNew, "logIdNew is null");
        payload = payload.map(byte[]::clone);
    }

    /** A frame with the given scalars, headers and payload, and no optional strings. */
    public static Pbbp2Frame of(long seqId, long logId, int service, int method, List<Header> headers, byte[] payload) {
        return new Pbbp2Frame(
                seqId,
                logId,
                service,
                method,
                headers,
                Optional.empty(),
                Optional.empty(),
                Optional.of(payload),
                Optional.empty());
    }

    /** The value of the first header named {@code key}. */
    public Optional<String> header(String key) {
        return headers.stream()
                .filter(h -> h.key().equals(key))
                .map(Header::value)
                .findFirst();
    }

    /** The payload bytes (a copy); empty when the frame has none. */
    public byte[] payloadBytes() {
        return payload.map(byte[]::clone).orElseGet(() -> new byte[0]);
    }

    /** The payload as UTF-8 text; empty when the frame has none. */
    public String payloadText() {
        return new String(payloadBytes(), StandardCharsets.UTF_8);
    }

    /** This frame with {@code payload} instead of its own and {@code extra} appended to its headers. */
    public Pbbp2Frame withPayloadAndHeaders(byte[] newPayload, List<Header> extra) {
        List<Header> all = new ArrayList<>(headers);
        all.addAll(extra);
        return new Pbbp2Frame(
                seqId, logId, service, method, all, payloadEncoding, payloadType, Optional.of(newPayload), logIdNew);
    }

    /** The protobuf encoding. */
    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeUInt64(1, seqId);
            out.writeUInt64(2, logId);
            out.writeInt32(3, service);
            out.writeInt32(4, method);
            for (Header header : headers) {
                out.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, header.key())
                        + CodedOutputStream.computeStringSize(2, header.value()));
                out.writeString(1, header.key());
                out.writeString(2, header.value());
            }
            if (payloadEncoding.isPresent()) {
                out.writeString(6, payloadEncoding.get());
            }
            if (payloadType.isPresent()) {
                out.writeString(7, payloadType.get());
            }
            if (payload.isPresent()) {
                out.writeBytes(8, ByteString.copyFrom(payload.get()));
            }
            if (logIdNew.isPresent()) {
                out.writeString(9, logIdNew.get());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /**
     * Decodes a frame; unknown fields are skipped, as protobuf readers do.
     *
     * @throws IllegalArgumentException when the bytes are not a frame or lack one of the four required fields
     */
    public static Pbbp2Frame decode(byte[] bytes) {
        requireNonNull(bytes, "bytes is null");
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            long seqId = 0;
            long logId = 0;
            int service = 0;
            int method = 0;
            int required = 0;
            List<Header> headers = new ArrayList<>();
            String payloadEncoding = null;
            String payloadType = null;
            byte[] payload = null;
            String logIdNew = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> {
                        seqId = in.readUInt64();
                        required |= 1;
                    }
                    case 2 -> {
                        logId = in.readUInt64();
                        required |= 2;
                    }
                    case 3 -> {
                        service = in.readInt32();
                        required |= 4;
                    }
                    case 4 -> {
                        method = in.readInt32();
                        required |= 8;
                    }
                    case 5 -> headers.add(readHeader(in));
                    case 6 -> payloadEncoding = in.readString();
                    case 7 -> payloadType = in.readString();
                    case 8 -> payload = in.readByteArray();
                    case 9 -> logIdNew = in.readString();
                    default -> in.skipField(tag);
                }
            }
            if (required != 15) {
                throw new IllegalArgumentException("pbbp2.Frame lacks a required field (expected: SeqID, LogID,"
                        + " service and method, zeros included); got SeqID=" + ((required & 1) != 0)
                        + " LogID=" + ((required & 2) != 0) + " service=" + ((required & 4) != 0)
                        + " method=" + ((required & 8) != 0));
            }
            return new Pbbp2Frame(
                    seqId,
                    logId,
                    service,
                    method,
                    headers,
                    Optional.ofNullable(payloadEncoding),
                    Optional.ofNullable(payloadType),
                    Optional.ofNullable(payload),
                    Optional.ofNullable(logIdNew));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a pbbp2.Frame: " + e.getMessage(), e);
        }
    }

    private static Header readHeader(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        String key = null;
        String value = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> key = in.readString();
                case 2 -> value = in.readString();
                default -> in.skipField(tag);
            }
        }
        in.popLimit(limit);
        if (key == null || value == null) {
            throw new IllegalArgumentException("pbbp2.Header lacks its key or value (both are required)");
        }
        return new Header(key, value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pbbp2Frame f
                && seqId == f.seqId
                && logId == f.logId
                && service == f.service
                && method == f.method
                && headers.equals(f.headers)
                && payloadEncoding.equals(f.payloadEncoding)
                && payloadType.equals(f.payloadType)
                && java.util.Arrays.equals(payload.orElse(null), f.payload.orElse(null))
                && logIdNew.equals(f.logIdNew);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                seqId, logId, service, method, headers, java.util.Arrays.hashCode(payloadBytes()));
    }

    @Override
    public String toString() {
        return "Pbbp2Frame[seqId=" + seqId + ", logId=" + logId + ", service=" + service + ", method=" + method
                + ", headers=" + headers + ", payload="
                + payload.map(p -> p.length + " bytes").orElse("none") + "]";
    }
}
