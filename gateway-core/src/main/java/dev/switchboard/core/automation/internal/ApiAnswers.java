package dev.switchboard.core.automation.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.http.internal.HttpAccess;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ProtocolException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The answers of {@code /tools/invoke} and {@code /hooks/agent}: JSON with {@code "ok"}, errors as
 * {@code {"ok":false,"error":{"code","message"}}} with the control protocol's error codes and the
 * HTTP status that fits each.
 */
final class ApiAnswers {
    private ApiAnswers() {}

    /** The HTTP status of a protocol error code. */
    static int status(String code) {
        return switch (code) {
            case ErrorCodes.INVALID_REQUEST -> 400;
            case ErrorCodes.UNAUTHORIZED -> 401;
            case ErrorCodes.FORBIDDEN -> 403;
            case ErrorCodes.NOT_FOUND -> 404;
            case ErrorCodes.RATE_LIMITED -> 429;
            case ErrorCodes.UNAVAILABLE -> 503;
            case ErrorCodes.AGENT_TIMEOUT -> 504;
            default -> 500;
        };
    }

    /** The error code of a status {@code HttpBodies} answers with (413, 400, 503, 500). */
    static String code(int status) {
        return switch (status) {
            case 400, 413 -> ErrorCodes.INVALID_REQUEST;
            case 503 -> ErrorCodes.UNAVAILABLE;
            default -> ErrorCodes.INTERNAL;
        };
    }

    static ObjectNode object() {
        return FrameCodec.json().createObjectNode();
    }

    static void send(HttpServerExchange exchange, int status, JsonNode body) {
        String text;
        try {
            text = FrameCodec.json().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that does not serialise", e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseSender().send(text);
    }

    static void error(HttpServerExchange exchange, int status, String code, String message) {
        ObjectNode body = object().put("ok", false);
        body.putObject("error").put("code", code).put("message", message);
        send(exchange, status, body);
    }

    static void error(HttpServerExchange exchange, ProtocolException e) {
        error(exchange, status(e.code()), e.code(), e.getMessage());
    }

    /** A refusal of {@link HttpAccess}; a lockout or a rate limit says when to come back. */
    static void refused(HttpServerExchange exchange, HttpAccess.Refusal refusal) {
        refusal.retryAfterSeconds()
                .ifPresent(seconds -> exchange.getResponseHeaders().put(Headers.RETRY_AFTER, seconds));
        error(exchange, refusal.status(), refusal.code(), refusal.message());
    }

    static void retryAfter(HttpServerExchange exchange, Duration wait) {
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(HttpAccess.seconds(wait)));
    }

    /** 405 for anything but POST (a CORS preflight is answered before). */
    static boolean refuseUnlessPost(HttpServerExchange exchange, String path) {
        if (exchange.getRequestMethod().equals(Methods.POST)) {
            return false;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "POST, OPTIONS");
        error(
                exchange,
                405,
                ErrorCodes.INVALID_REQUEST,
                exchange.getRequestMethod() + " " + path + ": this endpoint takes POST with a JSON body");
        return true;
    }

    /**
     * The request body as a JSON object whose keys are all in {@code keys}.
     *
     * @param shape what the body should look like, for the message: {@code {"tool": ..., "args": {...}}}
     * @throws ProtocolException INVALID_REQUEST naming what was wrong
     */
    static ObjectNode parseObject(String body, Set<String> keys, String shape) {
        JsonNode tree;
        try {
            tree = FrameCodec.json().readTree(body);
        } catch (JsonProcessingException e) {
            throw ProtocolException.invalid("the body is not JSON (expected: " + shape + ")");
        }
        if (!(tree instanceof ObjectNode object)) {
            throw ProtocolException.invalid("the body is not a JSON object (expected: " + shape + ")");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!keys.contains(name)) {
                throw ProtocolException.invalid(shown(name) + ": unknown key (expected: " + shape + ")");
            }
        }
        return object;
    }

    static String shown(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** Who called, for the methods' logs: {@code POST /tools/invoke from 127.0.0.1}. */
    static String caller(HttpServerExchange exchange) {
        return exchange.getRequestMethod() + " " + exchange.getRequestPath() + " from "
                + Optional.ofNullable(exchange.getSourceAddress())
                        .map(address -> address.getAddress().getHostAddress())
                        .orElse("?");
    }
}
