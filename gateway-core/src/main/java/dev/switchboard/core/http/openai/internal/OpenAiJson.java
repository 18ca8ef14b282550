package dev.switchboard.core.http.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** The JSON of the OpenAI-compatible API: one mapper, and answers sent as {@code application/json}. */
final class OpenAiJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private OpenAiJson() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Sends {@code body} as the whole response (status already set) and ends the exchange. */
    static void send(HttpServerExchange exchange, JsonNode body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body.toString());
    }
}
