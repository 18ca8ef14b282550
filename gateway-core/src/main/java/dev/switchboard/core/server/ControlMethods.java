package dev.switchboard.core.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.routing.WebChat;
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
import java.util.Map;
import java.util.Optional;

/** The v1 methods: what each needs (scope), whether it may block, and what it answers. */
final class ControlMethods {
    /** One method. {@code blocking} decides whether it runs on a worker instead of the I/O thread. */
    record Method(String name, String scope, BlockingWhen blocking, AnswerHandler handler) {}

    /** A response payload and what to do once it is sent (e.g. start a run whose events follow it). */
    record Answer(JsonNode payload, Runnable then) {}

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

    private final Map<String, Method> methods = new LinkedHashMap<>();
    private final ControlPlane plane;
    private final ControlProtocol protocol;

    ControlMethods(ControlPlane plane, ControlProtocol protocol) {
        this.plane = requireNonNull(plane, "plane is null");
        this.protocol = requireNonNull(protocol, "protocol is null");
        add(
                Methods.HEALTH,
                Scopes.READ,
                ControlMethods::probeRequested,
                (params, caller) -> health(probeRequested(params)));
        add(Methods.STATUS, Scopes.READ, params -> false, (params, caller) -> status());
        add(Methods.SYSTEM_PRESENCE, Scopes.READ, params -> false, (params, caller) -> protocol.presencePayload());
        add(
                Methods.CHANNELS_STATUS,
                Scopes.READ,
                ControlMethods::probeRequested,
                (params, caller) -> channelsStatus(probeRequested(params)));
        add(Methods.CONFIG_GET, Scopes.READ, params -> false, (params, caller) -> plane.config());
        add(Methods.GATEWAY_STOP, Scopes.ADMIN, params -> false, (params, caller) -> {
            plane.requestStop("gateway.stop from " + caller.describe());
            return json().put("stopping", true);
        });
        add(Methods.GATEWAY_RESTART, Scopes.ADMIN, params -> false, (params, caller) -> {
            plane.requestRestart("gateway.restart from " + caller.describe());
            return json().put("restarting", true);
        });
        addAnswering(Methods.CHAT_SEND, Scopes.WRITE, params -> true, this::chatSend);
        add(Methods.CHAT_HISTORY, Scopes.READ, params -> true, (params, caller) -> chatHistory(params));
        add(Methods.SESSIONS_LIST, Scopes.READ, params -> true, (params, caller) -> sessionsList());
        add(Methods.SESSIONS_RESET, Scopes.WRITE, params -> true, (params, caller) -> sessionsReset(params));
    }

    Optional<Method> find(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    /** The health snapshot: also the {@code health} event payload and {@code hello-ok.snapshot.health}. */
    ObjectNode health(boolean probe) {
        ObjectNode health = json().put("ok", true)
                .put("ts", System.currentTimeMillis())
                .put("uptimeMs", plane.uptimeMs())
                .put("version", plane.version())
                .put("instanceId", plane.instanceId());
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
        ChatEvents listener = new ChatEvents(caller);
        WebChat.Start start = chat.send(sessionKey, message, idempotencyKey, listener);
        WebChat.Started started = start.started();
        listener.bind(started.runId(), started.sessionKey());
        ObjectNode payload = json().put("runId", started.runId())
                .put("sessionKey", started.sessionKey())
                .put("status", started.status());
        if (started.text().isPresent()) {
            payload.put(
                    started.status().equals("ok") ? "text" : "errorMessage",
                    started.text().get());
        }
        return new Answer(payload, start.start());
    }

    /** A run's progress as {@code chat} events to the socket that started it. */
    private static final class ChatEvents implements WebChat.Listener {
        private final ControlConnection caller;
        private String runId;
        private String sessionKey;

        ChatEvents(ControlConnection caller) {
            this.caller = caller;
        }

        void bind(String runId, String sessionKey) {
            this.runId = runId;
            this.sessionKey = sessionKey;
        }

        @Override
        public void delta(int seq, String text) {
            caller.sendEvent(Events.CHAT, base("delta").put("seq", seq).put("deltaText", text));
        }

        @Override
        public void finished(String text) {
            caller.sendEvent(Events.CHAT, base("final").put("message", text));
        }

        @Override
        public void failed(String errorMessage) {
            caller.sendEvent(Events.CHAT, base("error").put("errorMessage", errorMessage));
        }

        private ObjectNode base(String state) {
            return json().put("runId", runId).put("sessionKey", sessionKey).put("state", state);
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
