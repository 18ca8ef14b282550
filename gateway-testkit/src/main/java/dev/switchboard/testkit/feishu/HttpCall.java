package dev.switchboard.testkit.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * One HTTP request to the fake, handled on a worker thread: its body, and at most one answer (or a dropped
 * connection instead).
 */
final class HttpCall {
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpServerExchange exchange;
    final byte[] body;
    private boolean answered;
    private boolean dropInsteadOfAnswer;

    HttpCall(HttpServerExchange exchange, byte[] body) {
        this.exchange = exchange;
        this.body = body;
    }

    String path() {
        return exchange.getRequestPath();
    }

    String method() {
        return exchange.getRequestMethod().toString();
    }

    Optional<String> query(String name) {
        var values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    /** The body as a JSON object, or empty when it is not one. */
    Optional<ObjectNode> jsonBody() {
        try {
            JsonNode node = JSON.readTree(body);
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The bearer token of the {@code Authorization} header, or empty. */
    Optional<String> bearerToken() {
        return header("Authorization")
                .filter(value -> value.toLowerCase(Locale.ROOT).startsWith("bearer "))
                .map(value -> value.substring(7).strip())
                .filter(token -> !token.isEmpty());
    }

    void json(int status, ObjectNode answer) {
        json(status, answer, Map.of());
    }

    void json(int status, ObjectNode answer, Map<String, String> headers) {
        send(status, "application/json; charset=utf-8", answer.toString(), headers);
    }

    void text(int status, String text) {
        send(status, "text/plain; charset=utf-8", text, Map.of());
    }

    /** An error in the open platform's shape: {@code {"code","msg","error":{"log_id"}}}. */
    void platformError(int status, int code, String msg, Map<String, String> headers) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("code", code);
        answer.put("msg", msg);
        answer.putObject("error").put("log_id", Ids.logId());
        json(status, answer, headers);
    }

    /** The next answer becomes a dropped connection (the request is still handled). */
    void dropInsteadOfAnswer() {
        dropInsteadOfAnswer = true;
    }

    void drop() {
        answered = true;
        IoUtils.safeClose(exchange.getConnection());
    }

    boolean isAnswered() {
        return answered;
    }

    private void send(int status, String contentType, String text, Map<String, String> headers) {
        if (answered) {
            return;
        }
        if (dropInsteadOfAnswer) {
            drop();
            return;
        }
        answered = true;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(new HttpString("X-Tt-Logid"), Ids.logId());
        headers.forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
        exchange.setResponseContentLength(bytes.length);
        try {
            exchange.getOutputStream().write(bytes);
            exchange.getOutputStream().close();
        } catch (IOException e) {
            IoUtils.safeClose(exchange.getConnection()); // the client went away: nothing to answer
        }
    }

    static @Nullable String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
