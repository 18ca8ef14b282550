package dev.switchboard.core.automation.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.http.internal.HttpAccess;
import dev.switchboard.core.http.internal.HttpBodies;
import dev.switchboard.core.server.internal.MethodCalls;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code POST /tools/invoke} (SPEC §5.2): {@code {"tool": "message.send", "args": {...}}} runs the
 * control-protocol method behind the tool, with its params, validation and errors, and answers {@code
 * {"ok":true,"result":{...}}} with the method's payload. Bearer auth through {@link HttpAccess};
 * served while {@code gateway.http.tools.enabled}, read per request.
 */
public final class ToolsInvokeRoute implements HttpHandler {
    public static final String PATH = "/tools/invoke";
    /** The tools, by name, and the method each runs. */
    static final Map<String, String> TOOLS = tools();

    static final String ENABLED_KEY = "gateway.http.tools.enabled";
    private static final HttpString IDEMPOTENCY_KEY = new HttpString("Idempotency-Key");
    private static final String SHAPE =
            "{\"tool\": \"" + String.join("\" | \"", TOOLS.keySet()) + "\", \"args\": {...}}";

    private final HttpAccess access;
    private final MethodCalls calls;
    private final Supplier<GatewayConfig> config;
    private final Executor workers;

    public ToolsInvokeRoute(HttpAccess access, MethodCalls calls, Supplier<GatewayConfig> config, Executor workers) {
        this.access = requireNonNull(access, "access is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.config = requireNonNull(config, "config is null");
        this.workers = requireNonNull(workers, "workers is null");
    }

    private static Map<String, String> tools() {
        Map<String, String> tools = new LinkedHashMap<>();
        tools.put("message.send", Methods.SEND);
        tools.put("channels.status", Methods.CHANNELS_STATUS);
        tools.put("sessions.list", Methods.SESSIONS_LIST);
        return Collections.unmodifiableMap(tools);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (access.answerPreflight(exchange, "POST")) {
            return;
        }
        GatewayConfig current = config.get();
        if (!current.gateway().http().tools()) {
            ApiAnswers.error(
                    exchange,
                    404,
                    ErrorCodes.NOT_FOUND,
                    "POST " + PATH + " is disabled (expected: " + ENABLED_KEY + " = true to serve it)");
            return;
        }
        if (ApiAnswers.refuseUnlessPost(exchange, PATH)) {
            return;
        }
        Optional<HttpAccess.Refusal> refusal = access.check(exchange);
        if (refusal.isPresent()) {
            ApiAnswers.refused(exchange, refusal.get());
            return;
        }
        HttpBodies.readThen(
                exchange,
                current.gateway().limits().maxPayloadBytes(),
                workers,
                (ex, status, message) -> ApiAnswers.error(ex, status, ApiAnswers.code(status), message),
                this::invoke);
    }

    /** On a worker. */
    private void invoke(HttpServerExchange exchange, String body) {
        try {
            ObjectNode request = ApiAnswers.parseObject(body, Set.of("tool", "args"), SHAPE);
            JsonNode tool = request.path("tool");
            if (!tool.isTextual() || tool.asText().isBlank()) {
                throw ProtocolException.invalid(
                        "tool: " + (tool.isMissingNode() ? "missing" : ApiAnswers.shown(tool.toString()))
                                + " (expected one of: " + String.join(", ", TOOLS.keySet()) + ")");
            }
            String method = TOOLS.get(tool.asText());
            if (method == null) {
                throw new ProtocolException(
                        ErrorCodes.NOT_FOUND,
                        "unknown tool '" + ApiAnswers.shown(tool.asText()) + "' (known: "
                                + String.join(", ", TOOLS.keySet()) + ")");
            }
            ObjectNode args = args(request.get("args"));
            if (method.equals(Methods.SEND)) {
                idempotencyKey(exchange, args);
            }
            MethodCalls.Result result = calls.call(method, args, "args.", ApiAnswers.caller(exchange));
            ObjectNode answer = ApiAnswers.object().put("ok", true);
            answer.set("result", result.first().orElseThrow());
            ApiAnswers.send(exchange, 200, answer);
        } catch (ProtocolException e) {
            ApiAnswers.error(exchange, e);
        }
    }

    private static ObjectNode args(JsonNode args) {
        if (args == null || args.isNull()) {
            return ApiAnswers.object();
        }
        if (!(args instanceof ObjectNode object)) {
            throw ProtocolException.invalid("args: " + ApiAnswers.shown(args.toString()) + " (expected: an object)");
        }
        return object.deepCopy();
    }

    /** {@code message.send} is idempotent like {@code send}: its key in args, or in the Idempotency-Key header. */
    private static void idempotencyKey(HttpServerExchange exchange, ObjectNode args) {
        Optional<String> header = Optional.ofNullable(
                        exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY))
                .map(String::trim)
                .filter(value -> !value.isEmpty());
        JsonNode given = args.get("idempotencyKey");
        if (header.isEmpty()) {
            if (given == null || given.isNull()) {
                throw ProtocolException.invalid("args.idempotencyKey: missing (expected: a non-blank string in args,"
                        + " or the Idempotency-Key header)");
            }
            return;
        }
        if (given == null || given.isNull()) {
            args.put("idempotencyKey", header.get());
        } else if (!given.isTextual() || !given.asText().equals(header.get())) {
            throw ProtocolException.invalid("args.idempotencyKey: differs from the Idempotency-Key header (expected:"
                    + " one of them, or both the same)");
        }
    }
}
