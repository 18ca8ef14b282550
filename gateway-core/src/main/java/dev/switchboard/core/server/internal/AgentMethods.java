package dev.switchboard.core.server.internal;

import static dev.switchboard.core.server.internal.ParamSpec.optional;
import static dev.switchboard.core.server.internal.ParamSpec.required;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.routing.internal.Outbound;
import dev.switchboard.core.routing.internal.ProtocolRuns;
import dev.switchboard.protocol.AgentAccepted;
import dev.switchboard.protocol.AgentResult;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.RunStatus;
import dev.switchboard.protocol.Scopes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** {@code agent} (two-stage) and {@code agent.wait} (answered from the run's end or a timer). */
public final class AgentMethods {
    /** How long {@code agent.wait} waits by default, and at most. */
    static final long WAIT_DEFAULT_MS = 30_000;

    static final long WAIT_MAX_MS = 600_000;
    /** The session of {@code agent} runs that name neither a session nor a conversation. */
    static final String AGENT_MAIN_SESSION = "agent:main";

    private static final ParamSpec AGENT_PARAMS = ParamSpec.of(
            required("message", ParamSpec.Type.TEXT),
            required("idempotencyKey", ParamSpec.Type.TEXT),
            optional("sessionKey", ParamSpec.Type.TEXT),
            optional("channel", ParamSpec.Type.TEXT),
            optional("accountId", ParamSpec.Type.TEXT),
            optional("to", ParamSpec.Type.TEXT),
            optional("deliver", ParamSpec.Type.FLAG));
    private static final ParamSpec WAIT_PARAMS = ParamSpec.of(
            required("runId", ParamSpec.Type.TEXT), optional("timeoutMs", ParamSpec.Type.integer(0, WAIT_MAX_MS)));

    private final ReplyLoopAccess replyLoop;
    private final ScheduledExecutorService timers;

    public AgentMethods(ReplyLoopAccess replyLoop, ScheduledExecutorService timers) {
        this.replyLoop = requireNonNull(replyLoop, "replyLoop is null");
        this.timers = requireNonNull(timers, "timers is null");
    }

    public List<ControlMethod> methods() {
        return List.of(
                new ControlMethod(Methods.AGENT, Scopes.WRITE, AGENT_PARAMS, ControlMethod.ALWAYS, this::agent),
                new ControlMethod(
                        Methods.AGENT_WAIT,
                        Scopes.READ,
                        WAIT_PARAMS,
                        ControlMethod.ALWAYS,
                        (params, caller) -> agentWait(params)));
    }

    /**
     * {@code agent}: answers {@code accepted} at once, streams {@code agent} events, then answers the
     * final result on the same request id. A repeated idempotency key answers {@code in_flight} and
     * later the first run's final result, or that result at once when it has ended.
     */
    private Answer agent(Params params, Caller caller) {
        Optional<String> channel = params.optionalText("channel");
        Optional<String> accountId = params.optionalText("accountId");
        Optional<String> to = params.optionalText("to");
        boolean deliver = params.flag("deliver");
        if (deliver && (channel.isEmpty() || to.isEmpty())) {
            throw ProtocolException.invalid(
                    "deliver: true needs channel and to (expected: the channel and conversation to send the reply to)");
        }
        if (channel.isEmpty() && (accountId.isPresent() || to.isPresent())) {
            throw ProtocolException.invalid("accountId and to need channel (expected: channel with them)");
        }
        ProtocolRuns runs = replyLoop.webChat().runs();
        Optional<Outbound.Target> target = channel.isPresent() && to.isPresent()
                ? Optional.of(replyLoop.resolve(channel.get(), accountId))
                : Optional.empty();
        String key = params.optionalText("sessionKey")
                .orElseGet(() -> target.map(t -> t.sessionKey(to.get())).orElse(AGENT_MAIN_SESSION));
        UnaryOperator<ProtocolRuns.RunResult> onOk = result -> result;
        if (deliver) {
            Outbound outbound = replyLoop.outbound();
            onOk = result -> {
                outbound.deliver(target.get(), to.get(), result.text(), result.runId());
                return result;
            };
        }
        RunEvents listener = RunEvents.agent(caller);
        ProtocolRuns.Start start = runs.start(
                ProtocolRuns.AGENT, key, params.text("message"), params.text("idempotencyKey"), listener, onOk);
        ProtocolRuns.Claim claim = start.claim();
        listener.bind(claim.runId(), claim.sessionKey());
        if (claim.result().isPresent()) {
            return Answer.of(finalPayload(claim.result().get()));
        }
        AgentAccepted first = new AgentAccepted(
                claim.runId(),
                claim.sessionKey(),
                claim.status() == RunStatus.STARTED ? RunStatus.ACCEPTED : claim.status(),
                claim.acceptedAt().toEpochMilli());
        return Answer.twoStage(
                Payloads.toJson(first), start.start(), claim.completion().thenApply(AgentMethods::finalPayload));
    }

    /** The final answer of a run: {@code agent}'s second response, {@code agent.wait}'s answer. */
    static JsonNode finalPayload(ProtocolRuns.RunResult result) {
        return Payloads.toJson(AgentResult.ended(
                result.runId(), result.sessionKey(), result.status(), result.text(), result.durationMs()));
    }

    /** {@code agent.wait}: completes from the run's end or a scheduled timeout; no thread waits. */
    private Answer agentWait(Params params) {
        String runId = params.text("runId");
        long timeoutMs = params.integer("timeoutMs").orElse(WAIT_DEFAULT_MS);
        CompletableFuture<ProtocolRuns.RunResult> done = replyLoop
                .webChat()
                .runs()
                .await(runId)
                .orElseThrow(() -> new ProtocolException(
                        ErrorCodes.NOT_FOUND,
                        "unknown runId '" + runId + "' (expected: a run of chat.send or agent on this gateway;"
                                + " finished runs are kept at least 5 minutes)"));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        ScheduledFuture<?> timeout = timers.schedule(
                () -> answer.complete(Payloads.toJson(AgentResult.timeout(runId))), timeoutMs, TimeUnit.MILLISECONDS);
        // completes answer, which is what the caller reads
        var unused = done.thenAccept(result -> {
            timeout.cancel(false);
            answer.complete(finalPayload(result));
        });
        return Answer.later(answer);
    }
}
