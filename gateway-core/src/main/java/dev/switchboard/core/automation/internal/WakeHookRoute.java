package dev.switchboard.core.automation.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.server.internal.HeartbeatMethods;
import dev.switchboard.core.server.internal.MethodCalls;
import dev.switchboard.core.server.internal.ParamSpec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolException;
import io.undertow.server.HttpServerExchange;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /hooks/wake}: the control protocol's {@code wake} for a program holding the hook token
 * (a monitoring system, a cron job): {@code {text, mode?}}, answered 202 with the mode and, for
 * {@code now}, the heartbeat run started. Behind {@link HookGate}, like {@code /hooks/agent}.
 */
final class WakeHookRoute {
    static final String PATH = "/hooks/wake";

    private static final Set<String> KEYS = HeartbeatMethods.WAKE_PARAMS.params().stream()
            .map(ParamSpec.Param::name)
            .collect(Collectors.toUnmodifiableSet());
    private static final String SHAPE = "{\"text\": \"...\", \"mode\"?: \"now\" | \"next-heartbeat\"}";

    private final MethodCalls calls;

    WakeHookRoute(MethodCalls calls) {
        this.calls = requireNonNull(calls, "calls is null");
    }

    /** On a worker, once {@link HookGate} let the request through. */
    void run(HttpServerExchange exchange, String body) {
        try {
            ObjectNode request = ApiAnswers.parseObject(body, KEYS, SHAPE);
            MethodCalls.Result result = calls.call(Methods.WAKE, request, "", ApiAnswers.caller(exchange));
            ObjectNode accepted = ApiAnswers.object().put("ok", true);
            accepted.setAll((ObjectNode) result.first().orElseThrow());
            ApiAnswers.send(exchange, 202, accepted);
        } catch (ProtocolException e) {
            ApiAnswers.error(exchange, e);
        }
    }
}
