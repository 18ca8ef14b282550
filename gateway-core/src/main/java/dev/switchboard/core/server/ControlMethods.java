package dev.switchboard.core.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.routing.Outbound;
import dev.switchboard.core.routing.ProtocolRuns;
import dev.switchboard.core.routing.WebChat;
import dev.switchboard.core.store.OutboxRepository;
import dev.switchboard.core.store.SessionRow;
import dev.switchboard.core.store.Turn;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.spi.AccountStatus;
import dev.switchboard.spi.ProbeResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** The v1 methods: what each needs (scope), whether it may block, and what it answers. */
final class ControlMethods {
    /** One method. {@code blocking} decides whether it runs on a worker instead of the I/O thread. */
    record Method(String name, String scope, BlockingWhen blocking, AnswerHandler handler) {}

    /**
     * What a method answers: a response now (may be absent), what to do once it is sent (e.g. start a
     * run whose events follow it), and a response sent later on the same request id when {@code
     * followUp} completes (the second stage of {@code agent}, or the only one of {@code agent.wait}).
     * A follow-up completes from whatever thread ends the work; no worker waits for it.
     */
    record Answer(Optional<JsonNode> payload, Runnable then, Optional<CompletableFuture<JsonNode>> followUp) {
        Answer(JsonNode payload, Runnable then) {
            this(Optional.of(payload), then, Optional.empty());
        }

        static Answer twoStage(JsonNode first, Runnable then, CompletableFuture<JsonNode> last) {
            return new Answer(Optional.of(first), then, Optional.of(last));
        }

        static Answer later(CompletableFuture<JsonNode> only) {
            return new Answer(Optional.empty(), () -> {}, Optional.of(only));
        }
    }

    interface AnswerHandler {
        Answer handle(ObjectNode params, ControlConnection caller);
    }

    interface BlockingWhen {
        boolean test(ObjectNode params);
    }

    interface Handler {
        JsonNode handle(ObjectNode params, ControlConnection caller);
    }

    /** The most turns {@code chat.history} returns. */
    static final int HISTORY_LIMIT = 1000;
    /** How long {@code agent.wait} waits by default, and at most. */
    static final long WAIT_DEFAULT_MS = 30_000;

    static final long WAIT_MAX_MS = 600_000;
    /** The session of {@code agent} runs that name neither a session nor a conversation. */
    static final String AGENT_MAIN_SESSION = "agent:main";

    private final Map<String, Method> methods = new LinkedHashMap<>();
    private final ControlPlane plane;
    private final ControlProtocol protocol;

    ControlMethods(ControlPlane plane, ControlProtocol protocol) {
        this.plane = requireNonNull(plane, "plane is null");
        this.protocol = requireNonNull(protocol, "protocol is null");
        // without probe: from memory on the I/O thread (the store is checked every second in the background)
        add(
                Methods.HEALTH,
                Scopes.READ,
                ControlMethods::probeRequested,
                (params, caller) -> health(probeRequested(params), probeRequested(params)));
        add(Methods.STATUS, Scopes.READ, params -> false, (params, caller) -> status());
        add(Methods.SYSTEM_PRESENCE, Scopes.READ, params -> false, (params, caller) -> protocol.presencePayload());
        add(
                Methods.CHANNELS_STATUS,
                Scopes.READ,
                ControlMethods::probeRequested,
                (params, caller) -> channelsStatus(probeRequested(params)));
        add(Methods.CONFIG_GET, Scopes.READ, params -> false, (params, caller) -> plane.config());
        // the stop starts once the response is queued, so it is written before the socket closes
        addAnswering(
                Methods.GATEWAY_STOP,
                Scopes.ADMIN,
                params -> false,
                (params, caller) -> new Answer(
                        json().put("stopping", true),
                        () -> plane.requestStop("gateway.stop from " + caller.describe())));
        addAnswering(
                Methods.GATEWAY_RESTART,
                Scopes.ADMIN,
                params -> false,
                (params, caller) -> new Answer(
                        json().put("restarting", true),
                        () -> plane.requestRestart("gateway.restart from " + caller.describe())));
        addAnswering(Methods.CHAT_SEND, Scopes.WRITE, params -> true, this::chatSend);
        add(Methods.CHAT_HISTORY, Scopes.READ, params -> true, (params, caller) -> chatHistory(params));
        add(Methods.SESSIONS_LIST, Scopes.READ, params -> true, (params, caller) -> sessionsList());
        add(Methods.SESSIONS_RESET, Scopes.WRITE, params -> true, (params, caller) -> sessionsReset(params));
        add(Methods.CHAT_ABORT, Scopes.WRITE, params -> true, (params, caller) -> chatAbort(params));
        addAnswering(Methods.AGENT, Scopes.WRITE, params -> true, this::agent);
        addAnswering(Methods.AGENT_WAIT, Scopes.READ, params -> true, (params, caller) -> agentWait(params));
        add(Methods.SEND, Scopes.WRITE, params -> true, (params, caller) -> send(params));
    }

    Optional<Method> find(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    /**
     * The health snapshot: also the {@code health} event payload and {@code hello-ok.snapshot.health}.
     * {@code measure}: query the store now (blocks), else show its last measurement.
     */
    ObjectNode health(boolean probe, boolean measure) {
        ObjectNode health = json().put("ok", true)
                .put("ts", System.currentTimeMillis())
                .put("uptimeMs", plane.uptimeMs())
                .put("version", plane.version())
                .put("instanceId", plane.instanceId());
        plane.storeHealth(measure).ifPresent(store -> {
            ObjectNode node = health.putObject("store").put("ok", store.ok()).put("latencyMs", store.latencyMs());
            store.error().ifPresent(error -> node.put("error", error));
            if (!store.ok()) {
                health.put("ok", false);
            }
        });
        plane.agentHealth(probe).ifPresent(agent -> {
            ObjectNode node = health.putObject("agent").put("provider", agent.provider());
            agent.probe()
                    .ifPresent(result ->
                            node.putObject("probe").put("ok", result.ok()).put("detail", result.detail()));
        });
        ServerCounters counters = plane.serverCounters();
        health.putObject("server")
                .put("connections", protocol.connectionCount())
                .put("refusedConnections", counters.refusedConnections())
                .put("authFailures", counters.authFailures())
                .put("lockouts", counters.lockouts());
        ArrayNode channels = health.putArray("channels");
        Map<String, ProbeResult> probes = probe ? plane.probeChannels() : Map.of();
        for (AccountStatus status : plane.channels()) {
            ObjectNode channel = channels.addObject()
                    .put("channel", status.channelId())
                    .put("account", status.accountId())
                    .put("state", status.state().wireName());
            channel.put("lastError", status.lastError().orElse(null));
            probe(channel, probes, status);
        }
        return health;
    }

    private ObjectNode status() {
        ObjectNode status = plane.status().deepCopy();
        status.put("connections", protocol.connectionCount());
        return status;
    }

    private ObjectNode channelsStatus(boolean probe) {
        ObjectNode payload = json();
        ArrayNode channels = payload.putArray("channels");
        Map<String, ProbeResult> probes = probe ? plane.probeChannels() : Map.of();
        for (AccountStatus status : plane.channels()) {
            ObjectNode channel = channelJson(status);
            channels.add(channel);
            probe(channel, probes, status);
        }
        return payload;
    }

    /** One account as the {@code channel} event and {@code channels.status} show it. */
    static ObjectNode channelJson(AccountStatus status) {
        ObjectNode channel = json().put("channel", status.channelId())
                .put("account", status.accountId())
                .put("state", status.state().wireName());
        channel.put("lastError", status.lastError().orElse(null));
        channel.put("since", status.since().toString());
        channel.put(
                "lastInboundAt", status.lastInboundAt().map(Object::toString).orElse(null));
        channel.put(
                "lastOutboundAt", status.lastOutboundAt().map(Object::toString).orElse(null));
        channel.put("restarts", status.restarts())
                .put("inbound", status.inbound())
                .put("dropped", status.dropped())
                .put("outbound", status.outbound())
                .put("failed", status.failed());
        return channel;
    }

    private static void probe(ObjectNode channel, Map<String, ProbeResult> probes, AccountStatus status) {
        ProbeResult result = probes.get(status.channelId() + "." + status.accountId());
        if (result != null) {
            channel.putObject("probe").put("ok", result.ok()).put("detail", result.detail());
        }
    }

    private static boolean probeRequested(ObjectNode params) {
        return params.path("probe").asBoolean(false);
    }

    private void add(String name, String scope, BlockingWhen blocking, Handler handler) {
        addAnswering(name, scope, blocking, (params, caller) -> new Answer(handler.handle(params, caller), () -> {}));
    }

    private void addAnswering(String name, String scope, BlockingWhen blocking, AnswerHandler handler) {
        methods.put(name, new Method(name, scope, blocking, handler));
    }

    // ---- webchat (chat.send, chat.history, sessions.list, sessions.reset) ----

    private WebChat webChat() {
        return plane.webChat()
                .orElseThrow(() -> new ProtocolException(
                        ErrorCodes.UNAVAILABLE, "this gateway runs no reply loop, so it has no chat sessions"));
    }

    private Answer chatSend(ObjectNode params, ControlConnection caller) {
        String sessionKey = requiredText(params, "sessionKey");
        String message = requiredText(params, "message");
        String idempotencyKey = requiredText(params, "idempotencyKey");
        WebChat chat = webChat();
        RunEvents listener = new RunEvents(caller, false);
        ProtocolRuns.Start start = chat.send(sessionKey, message, idempotencyKey, listener);
        ProtocolRuns.Claim claim = start.claim();
        listener.bind(claim.runId(), claim.sessionKey());
        ObjectNode payload = json().put("runId", claim.runId())
                .put("sessionKey", claim.sessionKey())
                .put("status", claim.status());
        claim.result().ifPresent(result -> payload.put(result.ok() ? "text" : "errorMessage", result.text()));
        return new Answer(payload, start.start());
    }

    /**
     * A run's progress to the socket that started it: {@code chat} events for {@code chat.send};
     * {@code agent} events (lifecycle and assistant streams, one {@code seq} per run) for {@code agent}.
     * Either way an aborted run also ends with a {@code chat} event {@code state:"aborted"}.
     */
    private static final class RunEvents implements ProtocolRuns.Listener {
        private final ControlConnection caller;
        private final boolean agent;
        private final AtomicInteger seq = new AtomicInteger();
        private volatile String runId;
        private volatile String sessionKey;

        RunEvents(ControlConnection caller, boolean agent) {
            this.caller = caller;
            this.agent = agent;
        }

        void bind(String runId, String sessionKey) {
            this.runId = runId;
            this.sessionKey = sessionKey;
        }

        @Override
        public void started() {
            if (agent) {
                ObjectNode data = json().put("phase", "start").put("startedAt", System.currentTimeMillis());
                caller.sendEvent(Events.AGENT, agentEvent("lifecycle", data));
            }
        }

        @Override
        public void delta(String text) {
            if (agent) {
                caller.sendEvent(Events.AGENT, agentEvent("assistant", json().put("delta", text)));
            } else {
                caller.sendEvent(
                        Events.CHAT,
                        chatEvent("delta").put("seq", seq.incrementAndGet()).put("deltaText", text));
            }
        }

        @Override
        public void finished(ProtocolRuns.RunResult result) {
            if (agent) {
                ObjectNode data = json().put("phase", "end")
                        .put("status", result.status())
                        .put("endedAt", System.currentTimeMillis());
                caller.sendEvent(Events.AGENT, agentEvent("lifecycle", data));
            }
            switch (result.status()) {
                case "ok" -> {
                    if (!agent) {
                        caller.sendEvent(Events.CHAT, chatEvent("final").put("message", result.text()));
                    }
                }
                case "aborted" -> caller.sendEvent(Events.CHAT, chatEvent("aborted"));
                default -> {
                    if (!agent) {
                        caller.sendEvent(Events.CHAT, chatEvent("error").put("errorMessage", result.text()));
                    }
                }
            }
        }

        private ObjectNode chatEvent(String state) {
            return json().put("runId", runId).put("sessionKey", sessionKey).put("state", state);
        }

        private ObjectNode agentEvent(String stream, ObjectNode data) {
            ObjectNode event = json().put("runId", runId)
                    .put("seq", seq.incrementAndGet())
                    .put("stream", stream)
                    .put("ts", System.currentTimeMillis());
            event.set("data", data);
            return event;
        }
    }

    // ---- agent runs (agent, agent.wait, chat.abort) and proactive sends (send) ----

    /**
     * {@code agent}: answers {@code accepted} at once, streams {@code agent} events, then answers the
     * final result on the same request id. A repeated idempotency key answers {@code in_flight} and
     * later the first run's final result, or that result at once when it has ended.
     */
    private Answer agent(ObjectNode params, ControlConnection caller) {
        String message = requiredText(params, "message");
        String idempotencyKey = requiredText(params, "idempotencyKey");
        Optional<String> sessionKey = optionalText(params, "sessionKey");
        Optional<String> channel = optionalText(params, "channel");
        Optional<String> accountId = optionalText(params, "accountId");
        Optional<String> to = optionalText(params, "to");
        boolean deliver = optionalBoolean(params, "deliver");
        if (deliver && (channel.isEmpty() || to.isEmpty())) {
            throw ProtocolException.invalid(
                    "deliver: true needs channel and to (expected: the channel and conversation to send the reply to)");
        }
        if (channel.isEmpty() && (accountId.isPresent() || to.isPresent())) {
            throw ProtocolException.invalid("accountId and to need channel (expected: channel with them)");
        }
        ProtocolRuns runs = webChat().runs();
        Optional<Outbound.Target> target = channel.isPresent() && to.isPresent()
                ? Optional.of(resolve(channel.get(), accountId))
                : Optional.empty();
        String key = sessionKey.orElseGet(
                () -> target.map(t -> t.sessionKey(to.get())).orElse(AGENT_MAIN_SESSION));
        UnaryOperator<ProtocolRuns.RunResult> onOk = result -> result;
        if (deliver) {
            Outbound outbound = outbound();
            onOk = result -> {
                outbound.deliver(target.get(), to.get(), result.text(), result.runId());
                return result;
            };
        }
        RunEvents listener = new RunEvents(caller, true);
        ProtocolRuns.Start start = runs.start(ProtocolRuns.AGENT, key, message, idempotencyKey, listener, onOk);
        ProtocolRuns.Claim claim = start.claim();
        listener.bind(claim.runId(), claim.sessionKey());
        if (claim.result().isPresent()) {
            return new Answer(finalPayload(claim.result().get()), () -> {});
        }
        ObjectNode first = json().put("runId", claim.runId())
                .put("sessionKey", claim.sessionKey())
                .put("status", claim.status().equals("started") ? "accepted" : claim.status())
                .put("acceptedAt", claim.acceptedAt().toEpochMilli());
        return Answer.twoStage(first, start.start(), claim.completion().thenApply(ControlMethods::finalPayload));
    }

    /** The final answer of a run: {@code agent}'s second response, {@code agent.wait}'s answer. */
    static ObjectNode finalPayload(ProtocolRuns.RunResult result) {
        ObjectNode payload = json().put("runId", result.runId())
                .put("sessionKey", result.sessionKey())
                .put("status", result.status());
        payload.putObject("result").put("text", result.text());
        payload.putObject("meta").put("durationMs", result.durationMs());
        return payload;
    }

    /** {@code agent.wait}: completes from the run's end or a scheduled timeout; no thread waits. */
    private Answer agentWait(ObjectNode params) {
        String runId = requiredText(params, "runId");
        long timeoutMs = WAIT_DEFAULT_MS;
        JsonNode given = params.get("timeoutMs");
        if (given != null && !given.isNull()) {
            if (!given.isIntegralNumber() || given.asLong() < 0 || given.asLong() > WAIT_MAX_MS) {
                throw ProtocolException.invalid(
                        "timeoutMs: " + given + " (expected: an integer from 0 to " + WAIT_MAX_MS + ")");
            }
            timeoutMs = given.asLong();
        }
        CompletableFuture<ProtocolRuns.RunResult> done = webChat()
                .runs()
                .await(runId)
                .orElseThrow(() -> new ProtocolException(
                        ErrorCodes.NOT_FOUND,
                        "unknown runId '" + runId + "' (expected: a run of chat.send or agent on this gateway;"
                                + " finished runs are kept at least 5 minutes)"));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        ScheduledFuture<?> timeout = protocol.timers()
                .schedule(
                        () -> answer.complete(json().put("runId", runId).put("status", "timeout")),
                        timeoutMs,
                        TimeUnit.MILLISECONDS);
        done.thenAccept(result -> {
            timeout.cancel(false);
            answer.complete(finalPayload(result));
        });
        return Answer.later(answer);
    }

    /** {@code chat.abort}: the key as given or as its webchat form ({@code t1} is {@code webchat:t1}). */
    private ObjectNode chatAbort(ObjectNode params) {
        String sessionKey = requiredText(params, "sessionKey");
        Optional<String> runId = optionalText(params, "runId");
        List<String> aborted = webChat().runs().abort(Set.of(sessionKey, WebChat.sessionKey(sessionKey)), runId);
        ObjectNode payload = json().put("aborted", !aborted.isEmpty());
        aborted.forEach(payload.putArray("runIds")::add);
        if (aborted.isEmpty()) {
            payload.putArray("runIds");
        }
        return payload;
    }

    /** {@code send}: a proactive message through the durable outbox. */
    private ObjectNode send(ObjectNode params) {
        String channel = requiredText(params, "channel");
        Optional<String> accountId = optionalText(params, "accountId");
        String to = requiredText(params, "to");
        String message = requiredText(params, "message");
        String idempotencyKey = requiredText(params, "idempotencyKey");
        Outbound outbound = outbound();
        Outbound.Target target = resolve(channel, accountId);
        OutboxRepository.Queued queued = outbound.send(target, to, message, idempotencyKey);
        return json().put("id", queued.id())
                .put("status", "queued")
                .put("channel", target.channel())
                .put("accountId", target.account());
    }

    private Outbound outbound() {
        return plane.outbound()
                .orElseThrow(() -> new ProtocolException(
                        ErrorCodes.UNAVAILABLE, "this gateway runs no reply loop, so it has no outbox to send from"));
    }

    private Outbound.Target resolve(String channel, Optional<String> accountId) {
        try {
            return outbound().resolve(channel, accountId);
        } catch (Outbound.UnknownTargetException e) {
            throw new ProtocolException(ErrorCodes.NOT_FOUND, e.getMessage());
        }
    }

    private ObjectNode chatHistory(ObjectNode params) {
        String sessionKey = requiredText(params, "sessionKey");
        int limit = HISTORY_LIMIT;
        JsonNode given = params.get("limit");
        if (given != null && !given.isNull()) {
            if (!given.canConvertToInt() || given.asInt() < 1 || !given.isIntegralNumber()) {
                throw ProtocolException.invalid("limit: " + given + " (expected: a positive integer)");
            }
            limit = Math.min(given.asInt(), HISTORY_LIMIT);
        }
        WebChat.History history = webChat().history(sessionKey, limit);
        ObjectNode payload = json().put("sessionKey", history.session().sessionKey())
                .put("sessionId", history.session().id());
        ArrayNode messages = payload.putArray("messages");
        for (Turn turn : history.turns()) {
            messages.addObject()
                    .put("role", turn.role().wireName())
                    .put("content", turn.content())
                    .put("ts", turn.createdAt().toEpochMilli());
        }
        return payload;
    }

    private ObjectNode sessionsList() {
        ObjectNode payload = json();
        ArrayNode sessions = payload.putArray("sessions");
        for (SessionRow row : webChat().sessions()) {
            sessions.addObject()
                    .put("sessionKey", row.sessionKey())
                    .put("sessionId", row.id())
                    .put("updatedAt", row.lastActivityAt().toEpochMilli());
        }
        return payload;
    }

    private ObjectNode sessionsReset(ObjectNode params) {
        SessionRow row = webChat().reset(requiredText(params, "sessionKey"));
        return json().put("sessionKey", row.sessionKey()).put("sessionId", row.id());
    }

    private static Optional<String> optionalText(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw ProtocolException.invalid(name + ": " + value + " (expected: a non-blank string when given)");
        }
        return Optional.of(value.asText());
    }

    private static boolean optionalBoolean(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ProtocolException.invalid(name + ": " + value + " (expected: true or false)");
        }
        return value.asBoolean();
    }

    private static String requiredText(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ProtocolException.invalid(name + " is required (a non-blank string)");
        }
        return value.asText();
    }

    private static ObjectNode json() {
        return FrameCodec.json().createObjectNode();
    }
}
