package dev.switchboard.core.server.internal;

import dev.switchboard.core.routing.internal.ProtocolRuns;
import dev.switchboard.protocol.AgentEvent;
import dev.switchboard.protocol.ChatEvent;
import dev.switchboard.protocol.Events;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.RunStatus;
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
            agentEvent(AgentEvent.Stream.LIFECYCLE, AgentEvent.Data.start(System.currentTimeMillis()));
        }
    }

    @Override
    public void delta(String text) {
        if (agent) {
            agentEvent(AgentEvent.Stream.ASSISTANT, AgentEvent.Data.delta(text));
        } else {
            chatEvent(ChatEvent.delta(runId, sessionKey, seq.incrementAndGet(), text));
        }
    }

    @Override
    public void finished(ProtocolRuns.RunResult result) {
        if (agent) {
            agentEvent(AgentEvent.Stream.LIFECYCLE, AgentEvent.Data.end(result.status(), System.currentTimeMillis()));
        }
        if (result.status() == RunStatus.ABORTED) {
            chatEvent(ChatEvent.aborted(runId, sessionKey));
        } else if (!agent) {
            chatEvent(
                    result.ok()
                            ? ChatEvent.finalReply(runId, sessionKey, result.text())
                            : ChatEvent.error(runId, sessionKey, result.text()));
        }
    }

    private void chatEvent(ChatEvent event) {
        caller.sendEvent(Events.CHAT, Payloads.toJson(event));
    }

    private void agentEvent(AgentEvent.Stream stream, AgentEvent.Data data) {
        caller.sendEvent(
                Events.AGENT,
                Payloads.toJson(
                        new AgentEvent(runId, seq.incrementAndGet(), stream, System.currentTimeMillis(), data)));
    }
}
