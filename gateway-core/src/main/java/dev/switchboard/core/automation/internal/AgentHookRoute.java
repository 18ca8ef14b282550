package dev.switchboard.core.automation.internal;

import static dev.switchboard.core.server.internal.ParamSpec.optional;
import static dev.switchboard.core.server.internal.ParamSpec.required;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.server.internal.MethodCalls;
import dev.switchboard.core.server.internal.ParamSpec;
import dev.switchboard.core.server.internal.Params;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.RunStatus;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/agent} (SPEC §5.2): runs the agent on a posted text exactly as the control
 * protocol's {@code agent} method does (durable, idempotent, the reply optionally delivered to a
 * channel target through the outbox) and answers 202 with the run id, or with {@code "wait": true}
 * 200 with the reply. Behind {@link HookGate}: the hook token and budget.
 */
final class AgentHookRoute {
    public static final String PATH = "/hooks/agent";
    /** Hook runs' idempotency keys live apart from those of control clients. */
    static final String KEY_PREFIX = "hook:";

    private static final Logger log = LoggerFactory.getLogger(AgentHookRoute.class);
    private static final ParamSpec BODY = ParamSpec.of(
            required("message", ParamSpec.Type.TEXT),
            optional("sessionKey", ParamSpec.Type.TEXT),
            optional("deliver", new ParamSpec.Type("an object {channel, accountId?, to}", JsonNode::isObject)),
            optional("idempotencyKey", ParamSpec.Type.TEXT),
            optional("wait", ParamSpec.Type.FLAG));
    private static final ParamSpec DELIVER = ParamSpec.of(
            required("channel", ParamSpec.Type.TEXT),
            optional("accountId", ParamSpec.Type.TEXT),
            required("to", ParamSpec.Type.TEXT));
    private static final Set<String> KEYS =
            BODY.params().stream().map(ParamSpec.Param::name).collect(Collectors.toUnmodifiableSet());
    private static final String SHAPE = "{\"message\": \"...\", \"sessionKey\"?, \"deliver\"?: {\"channel\","
            + " \"accountId\"?, \"to\"}, \"idempotencyKey\"?, \"wait\"?: true|false}";

    private final MethodCalls calls;

    public AgentHookRoute(MethodCalls calls) {
        this.calls = requireNonNull(calls, "calls is null");
    }

    /** On a worker, once {@link HookGate} let the request through. */
    void run(HttpServerExchange exchange, String body) {
        MethodCalls.Result result;
        boolean waitForReply;
        try {
            ObjectNode request = ApiAnswers.parseObject(body, KEYS, SHAPE);
            Params params = BODY.validate(PATH, request);
            waitForReply = params.flag("wait");
            result = calls.call(Methods.AGENT, agentParams(params, request), "", ApiAnswers.caller(exchange));
        } catch (ProtocolException e) {
            ApiAnswers.error(exchange, e);
            return;
        }
        if (!waitForReply && result.last().isPresent()) {
            ObjectNode accepted = ApiAnswers.object().put("ok", true);
            accepted.setAll((ObjectNode) result.first().orElseThrow());
            ApiAnswers.send(exchange, 202, accepted);
            return;
        }
        // the reply, or the final result of a repeated key's run: answered from whatever thread ends the run
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            var unused = result.outcome().whenComplete((JsonNode last, Throwable error) -> {
                if (error == null) {
                    reply(exchange, last);
                } else {
                    Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof ProtocolException refused) {
                        ApiAnswers.error(exchange, refused);
                    } else {
                        String reference = UUID.randomUUID().toString().substring(0, 8);
                        log.error("{} failed (ref {})", PATH, reference, cause);
                        ApiAnswers.error(
                                exchange,
                                500,
                                ErrorCodes.INTERNAL,
                                "the run failed (ref " + reference + "; the gateway log has the details)");
                    }
                }
            });
        });
    }

    /** The body's params as {@code agent} takes them. */
    private static ObjectNode agentParams(Params params, ObjectNode request) {
        ObjectNode agent = ApiAnswers.object().put("message", params.text("message"));
        agent.put(
                "idempotencyKey",
                KEY_PREFIX
                        + params.optionalText("idempotencyKey")
                                .orElseGet(() -> UUID.randomUUID().toString()));
        params.optionalText("sessionKey").ifPresent(key -> agent.put("sessionKey", key));
        JsonNode deliver = request.get("deliver");
        if (deliver instanceof ObjectNode target) {
            Params to;
            try {
                to = DELIVER.validate("deliver", target);
            } catch (ProtocolException e) {
                throw new ProtocolException(e.code(), "deliver." + e.getMessage());
            }
            agent.put("channel", to.text("channel")).put("to", to.text("to")).put("deliver", true);
            to.optionalText("accountId").ifPresent(account -> agent.put("accountId", account));
        }
        return agent;
    }

    /** 200 with the reply when the run ended ok; 502 with the run's status and text otherwise. */
    private static void reply(HttpServerExchange exchange, JsonNode last) {
        String status = last.path("status").asText();
        ObjectNode answer = ApiAnswers.object()
                .put("ok", status.equals(RunStatus.OK.wireName()))
                .put("runId", last.path("runId").asText())
                .put("sessionKey", last.path("sessionKey").asText())
                .put("status", status);
        String text = last.path("result").path("text").asText();
        if (status.equals(RunStatus.OK.wireName())) {
            answer.put("text", text)
                    .put("durationMs", last.path("meta").path("durationMs").asLong());
            ApiAnswers.send(exchange, 200, answer);
            return;
        }
        answer.putObject("error")
                .put("code", "AGENT_" + status.toUpperCase(Locale.ROOT))
                .put("message", text.isEmpty() ? "the run ended " + status : text);
        ApiAnswers.send(exchange, 502, answer);
    }
}
