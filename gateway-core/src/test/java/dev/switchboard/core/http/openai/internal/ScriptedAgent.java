package dev.switchboard.core.http.openai.internal;

import dev.switchboard.core.agent.EchoAgentRuntime;
import dev.switchboard.spi.agent.AgentException;
import dev.switchboard.spi.agent.AgentRequest;
import dev.switchboard.spi.agent.AgentResult;
import dev.switchboard.spi.agent.AgentRun;
import dev.switchboard.spi.agent.AgentRuntime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real agent runtime that echoes like {@code echo}, except: a text starting {@code fail midway}
 * streams {@code "partial answer "} and then fails, one starting {@code fail} fails before it says
 * anything. It records every request (history included).
 */
final class ScriptedAgent implements AgentRuntime {
    static final String PARTIAL = "partial answer ";

    final List<AgentRequest> requests = new CopyOnWriteArrayList<>();
    private final EchoAgentRuntime echo = new EchoAgentRuntime();

    @Override
    public String id() {
        return "scripted";
    }

    @Override
    public AgentRun run(AgentRequest request) {
        requests.add(request);
        if (request.text().startsWith("fail midway")) {
            request.onDelta().accept(PARTIAL);
            return failed(request);
        }
        if (request.text().startsWith("fail")) {
            return failed(request);
        }
        return echo.run(request);
    }

    private static AgentRun failed(AgentRequest request) {
        CompletableFuture<AgentResult> result = CompletableFuture.failedFuture(
                new AgentException(AgentException.Kind.BROKEN_STREAM, false, "the scripted provider broke off"));
        return new AgentRun() {
            @Override
            public String runId() {
                return request.runId();
            }

            @Override
            public CompletableFuture<AgentResult> result() {
                return result;
            }

            @Override
            public void abort() {}
        };
    }
}
