package dev.switchboard.core.server.internal;

import static dev.switchboard.core.server.internal.ParamSpec.optional;
import static dev.switchboard.core.server.internal.ParamSpec.required;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.routing.internal.Outbound;
import dev.switchboard.core.store.internal.OutboxRepository;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import java.util.List;

/** {@code send}: a proactive message through the durable outbox. */
public final class SendMethods {
    private static final ParamSpec PARAMS = ParamSpec.of(
            required("channel", ParamSpec.Type.TEXT),
            optional("accountId", ParamSpec.Type.TEXT),
            required("to", ParamSpec.Type.TEXT),
            required("message", ParamSpec.Type.TEXT),
            required("idempotencyKey", ParamSpec.Type.TEXT));

    private final ReplyLoopAccess replyLoop;

    public SendMethods(ReplyLoopAccess replyLoop) {
        this.replyLoop = requireNonNull(replyLoop, "replyLoop is null");
    }

    public List<ControlMethod> methods() {
        return List.of(ControlMethod.simple(
                Methods.SEND, Scopes.WRITE, PARAMS, ControlMethod.ALWAYS, (params, caller) -> send(params)));
    }

    private ObjectNode send(Params params) {
        Outbound.Target target = replyLoop.resolve(params.text("channel"), params.optionalText("accountId"));
        OutboxRepository.Queued queued = replyLoop
                .outbound()
                .send(target, params.text("to"), params.text("message"), params.text("idempotencyKey"));
        return FrameCodec.json()
                .createObjectNode()
                .put("id", queued.id())
                .put("status", "queued")
                .put("channel", target.channel())
                .put("accountId", target.account());
    }
}
