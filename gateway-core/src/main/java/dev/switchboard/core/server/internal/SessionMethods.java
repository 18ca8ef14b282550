package dev.switchboard.core.server.internal;

import static dev.switchboard.core.server.internal.ParamSpec.required;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.store.internal.SessionRow;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import java.util.List;

/** {@code sessions.list} and {@code sessions.reset}; both read or write the store, so on a worker. */
public final class SessionMethods {
    private final ReplyLoopAccess replyLoop;

    public SessionMethods(ReplyLoopAccess replyLoop) {
        this.replyLoop = requireNonNull(replyLoop, "replyLoop is null");
    }

    public List<ControlMethod> methods() {
        return List.of(
                ControlMethod.simple(
                        Methods.SESSIONS_LIST,
                        Scopes.READ,
                        ParamSpec.none(),
                        ControlMethod.ALWAYS,
                        (params, caller) -> list()),
                ControlMethod.simple(
                        Methods.SESSIONS_RESET,
                        Scopes.WRITE,
                        ParamSpec.of(required("sessionKey", ParamSpec.Type.TEXT)),
                        ControlMethod.ALWAYS,
                        (params, caller) -> reset(params.text("sessionKey"))));
    }

    private ObjectNode list() {
        ObjectNode payload = FrameCodec.json().createObjectNode();
        ArrayNode sessions = payload.putArray("sessions");
        for (SessionRow row : replyLoop.webChat().sessions()) {
            sessions.addObject()
                    .put("sessionKey", row.sessionKey())
                    .put("sessionId", row.id())
                    .put("updatedAt", row.lastActivityAt().toEpochMilli());
        }
        return payload;
    }

    private ObjectNode reset(String sessionKey) {
        SessionRow row = replyLoop.webChat().reset(sessionKey);
        return FrameCodec.json()
                .createObjectNode()
                .put("sessionKey", row.sessionKey())
                .put("sessionId", row.id());
    }
}
