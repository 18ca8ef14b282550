package dev.switchboard.core.server.internal;

import static dev.switchboard.core.server.internal.ParamSpec.optional;
import static dev.switchboard.core.server.internal.ParamSpec.required;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.routing.internal.ProtocolRuns;
import dev.switchboard.core.routing.internal.SessionKeys;
import dev.switchboard.core.routing.internal.WebChat;
import dev.switchboard.protocol.ChatSendAnswer;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.Scopes;
import java.util.List;
import java.util.Set;

/** The webchat methods: {@code chat.send}, {@code chat.history} (paged) and {@code chat.abort}. */
public final class ChatMethods {
    private static final ParamSpec SEND_PARAMS = ParamSpec.of(
            required("sessionKey", ParamSpec.Type.TEXT),
            required("message", ParamSpec.Type.TEXT),
            required("idempotencyKey", ParamSpec.Type.TEXT));
    private static final ParamSpec HISTORY_PARAMS = ParamSpec.of(
            required("sessionKey", ParamSpec.Type.TEXT),
            optional("limit", ParamSpec.Type.integer(1, Long.MAX_VALUE)),
            optional("cursor", ParamSpec.Type.TEXT),
            optional("maxBytes", ParamSpec.Type.integer(HistoryPages.MIN_PAGE_BYTES, Long.MAX_VALUE)));
    private static final ParamSpec ABORT_PARAMS =
            ParamSpec.of(required("sessionKey", ParamSpec.Type.TEXT), optional("runId", ParamSpec.Type.TEXT));

    private final ReplyLoopAccess replyLoop;
    private final HistoryPages history;

    public ChatMethods(ReplyLoopAccess replyLoop, HistoryPages history) {
        this.replyLoop = requireNonNull(replyLoop, "replyLoop is null");
        this.history = requireNonNull(history, "history is null");
    }

    public List<ControlMethod> methods() {
        return List.of(
                new ControlMethod(Methods.CHAT_SEND, Scopes.WRITE, SEND_PARAMS, ControlMethod.ALWAYS, this::send),
                ControlMethod.simple(
                        Methods.CHAT_HISTORY,
                        Scopes.READ,
                        HISTORY_PARAMS,
                        ControlMethod.ALWAYS,
                        (params, caller) -> history.page(
                                replyLoop.webChat(),
                                params.text("sessionKey"),
                                params.optionalText("cursor"),
                                params.integer("limit").orElse(HistoryPages.MAX_TURNS),
                                params.integer("maxBytes").orElse(history.largestPage()))),
                ControlMethod.simple(
                        Methods.CHAT_ABORT,
                        Scopes.WRITE,
                        ABORT_PARAMS,
                        ControlMethod.ALWAYS,
                        (params, caller) -> abort(params)));
    }

    private Answer send(Params params, Caller caller) {
        WebChat chat = replyLoop.webChat();
        RunEvents listener = RunEvents.chat(caller);
        ProtocolRuns.Start start =
                chat.send(params.text("sessionKey"), params.text("message"), params.text("idempotencyKey"), listener);
        ProtocolRuns.Claim claim = start.claim();
        listener.bind(claim.runId(), claim.sessionKey());
        ChatSendAnswer payload = new ChatSendAnswer(
                claim.runId(),
                claim.sessionKey(),
                claim.status(),
                claim.result().filter(ProtocolRuns.RunResult::ok).map(ProtocolRuns.RunResult::text),
                claim.result().filter(result -> !result.ok()).map(ProtocolRuns.RunResult::text));
        return Answer.of(Payloads.toJson(payload), start.start());
    }

    /** The key as given or as its webchat form ({@code t1} is {@code webchat:t1}). */
    private ObjectNode abort(Params params) {
        String sessionKey = params.text("sessionKey");
        List<String> aborted = replyLoop
                .webChat()
                .runs()
                .abort(Set.of(sessionKey, SessionKeys.webchat(sessionKey)), params.optionalText("runId"));
        ObjectNode payload = FrameCodec.json().createObjectNode().put("aborted", !aborted.isEmpty());
        aborted.forEach(payload.putArray("runIds")::add);
        if (aborted.isEmpty()) {
            payload.putArray("runIds");
        }
        return payload;
    }
}
