package dev.switchboard.channel.wecom.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The long connection's JSON frames: {@code {cmd, headers:{req_id}, body}} for commands and callbacks,
 * {@code {headers:{req_id}, errcode, errmsg}} (no {@code cmd}) for the platform's acknowledgements.
 */
final class Frames {
    static final String SUBSCRIBE = "aibot_subscribe";
    static final String PING = "ping";
    static final String RESPOND_MSG = "aibot_respond_msg";
    static final String RESPOND_WELCOME_MSG = "aibot_respond_welcome_msg";
    static final String SEND_MSG = "aibot_send_msg";
    static final String MSG_CALLBACK = "aibot_msg_callback";
    static final String EVENT_CALLBACK = "aibot_event_callback";

    /** The deepest nesting read: callbacks nest 4 levels; a deeper frame is nobody's message. */
    static final int MAX_NESTING = 32;

    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build());

    private static final SecureRandom RANDOM = new SecureRandom();

    private Frames() {}

    /** A client-chosen req_id in the official SDK's shape, {@code {cmd}_{ms}_{rand8}}. */
    static String reqId(String cmd, long epochMillis) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return cmd + "_" + epochMillis + "_" + HexFormat.of().formatHex(random);
    }

    static String command(String cmd, String reqId, ObjectNode body) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("cmd", cmd);
        frame.putObject("headers").put("req_id", reqId);
        if (!body.isEmpty()) {
            frame.set("body", body);
        }
        return frame.toString();
    }

    static ObjectNode subscribeBody(String botId, String secret) {
        return JSON.createObjectNode().put("bot_id", botId).put("secret", secret);
    }

    static ObjectNode streamBody(String streamId, String content, boolean finish) {
        ObjectNode body = JSON.createObjectNode().put("msgtype", "stream");
        body.putObject("stream").put("id", streamId).put("finish", finish).put("content", content);
        return body;
    }

    static ObjectNode markdownBody(String chatId, String content) {
        ObjectNode body = JSON.createObjectNode().put("chatid", chatId).put("msgtype", "markdown");
        body.putObject("markdown").put("content", content);
        return body;
    }

    static ObjectNode welcomeBody(String text) {
        ObjectNode body = JSON.createObjectNode().put("msgtype", "text");
        body.putObject("text").put("content", text);
        return body;
    }

    /** A text field, or empty when it is absent or not a string. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    /** {@code headers.req_id}, or empty. */
    static Optional<String> reqId(JsonNode frame) {
        JsonNode headers = frame.get("headers");
        return headers == null ? Optional.empty() : text(headers, "req_id").filter(id -> !id.isEmpty());
    }
}
