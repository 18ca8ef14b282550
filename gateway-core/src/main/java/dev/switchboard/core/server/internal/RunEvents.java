package dev.switchboard.core.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.routing.ProtocolRuns;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.FrameCodec;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run's progress to the socket that started it: {@code chat} events for {@code chat.send};
 * {@code agent} events (lifecycle and assistant streams, one {@code seq} per run) for {@code agent}.
 * Either way an aborted run also ends with a {@code chat} event {@code state:"aborted"}.
 */
final class RunEvents implements ProtocolRuns.Listener {
    private final Caller caller;
    private final boolean agent;
    private final AtomicInteger seq = new AtomicInteger();
    private volatile String runId = "";
    private volatile String sessionKey = "";

    private RunEvents(Caller caller, boolean agent) {
        this.caller = caller;
        this.agent = agent;
    }

    static RunEvents chat(Caller caller) {
        return new RunEvents(caller, false);
    }

    static RunEvents agent(Caller caller) {
        return new RunEvents(caller, true);
    }

    /** The run these events are about, known once it is claimed (before it starts). */
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

    private static ObjectNode json() {
        return FrameCodec.json().createObjectNode();
    }
}
