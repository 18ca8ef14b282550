package dev.switchboard.testkit.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** The long connection's JSON frames: {@code {cmd, headers:{req_id}, body}} and acknowledgements without a cmd. */
final class Frames {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String SUBSCRIBE = "aibot_subscribe";
    static final String PING = "ping";
    static final String RESPOND_MSG = "aibot_respond_msg";
    static final String RESPOND_WELCOME_MSG = "aibot_respond_welcome_msg";
    static final String SEND_MSG = "aibot_send_msg";
    static final String MSG_CALLBACK = "aibot_msg_callback";
    static final String EVENT_CALLBACK = "aibot_event_callback";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Frames() {}

    /** {@code {"headers":{"req_id"},"errcode","errmsg"}}: no cmd, as the platform answers client commands. */
    static String ack(String reqId, int errcode, String errmsg) {
        ObjectNode ack = JSON.createObjectNode();
        ack.putObject("headers").put("req_id", reqId);
        ack.put("errcode", errcode);
        ack.put("errmsg", errmsg);
        return ack.toString();
    }

    /** A server-to-client command with a fresh {@code req_id} already chosen. */
    static String push(String cmd, String reqId, ObjectNode body) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("cmd", cmd);
        frame.putObject("headers").put("req_id", reqId);
        frame.set("body", body);
        return frame.toString();
    }

    /** The frame as a JSON object, or empty when it is not one. */
    static Optional<ObjectNode> parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    static Optional<String> reqId(ObjectNode frame) {
        JsonNode headers = frame.get("headers");
        return headers == null ? Optional.empty() : text(headers, "req_id").filter(id -> !id.isEmpty());
    }

    static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** A callback's req_id: opaque, unique, never one a client would choose ({@code cmd_ms_rand}). */
    static String serverReqId() {
        return hex(16);
    }
}
