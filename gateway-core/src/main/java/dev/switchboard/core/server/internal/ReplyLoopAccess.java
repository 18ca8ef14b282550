package dev.switchboard.core.server.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.routing.internal.Outbound;
import dev.switchboard.core.routing.internal.WebChat;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.ProtocolException;
import java.util.Optional;

/**
 * The reply-loop parts the chat, session, agent and send methods use. A gateway that runs no reply
 * loop (an embedding with its own inbound sink) has none: those methods answer {@code UNAVAILABLE}.
 */
public final class ReplyLoopAccess {
    private final ControlPlane plane;

    public ReplyLoopAccess(ControlPlane plane) {
        this.plane = requireNonNull(plane, "plane is null");
    }

    WebChat webChat() {
        return plane.webChat()
                .orElseThrow(() -> new ProtocolException(
                        ErrorCodes.UNAVAILABLE, "this gateway runs no reply loop, so it has no chat sessions"));
    }

    Outbound outbound() {
        return plane.outbound()
                .orElseThrow(() -> new ProtocolException(
                        ErrorCodes.UNAVAILABLE, "this gateway runs no reply loop, so it has no outbox to send from"));
    }

    /** The account to send through; {@code NOT_FOUND} naming the running accounts when there is none. */
    Outbound.Target resolve(String channel, Optional<String> accountId) {
        try {
            return outbound().resolve(channel, accountId);
        } catch (Outbound.UnknownTargetException e) {
            throw new ProtocolException(ErrorCodes.NOT_FOUND, e.getMessage());
        }
    }
}
