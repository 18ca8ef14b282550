package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.agent.internal.AgentFailures;
import dev.switchboard.core.store.internal.SessionRow;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.core.store.internal.Turn;
import dev.switchboard.spi.agent.AgentRequest;
import dev.switchboard.spi.agent.AgentRun;
import dev.switchboard.spi.agent.AgentRuntime;
import dev.switchboard.spi.agent.ChatMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.MDC;

/**
 * One turn of a session, whoever asked for it (a platform message, {@code chat.send}, {@code agent}):
 * {@code /new} or {@code /reset} starts a new session; anything else runs the agent with the session's
 * last {@code agent.history_limit} turns and stores both turns and the trimmed history in one commit.
 * Call it on the session's lane of the {@link ConversationQueue} only, so a session's turns never
 * interleave.
 */
final class Turns {
    static final String NEW_SESSION_REPLY = "Started a new conversation.";
    private static final Duration AGENT_TIMEOUT = Duration.ofMinutes(10);

    /**
     * What one turn answered.
     *
     * @param text the reply, the apology when the agent failed, or empty text when aborted
     * @param kind whether it answered, failed (nothing appended) or was aborted (nothing appended)
     */
    record Outcome(String text, Kind kind) {
        enum Kind {
            OK,
            FAILED,
            ABORTED
        }

        static Outcome aborted() {
            return new Outcome("", Kind.ABORTED);
        }
    }

    /**
     * The agent and how turns use it; a reload swaps it whole, a turn reads it once.
     *
     * @param systemPrompt the system prompt for every run; empty: the runtime's own
     */
    record AgentSetup(AgentRuntime runtime, int historyLimit, Optional<String> systemPrompt) {
        AgentSetup {
            requireNonNull(runtime, "runtime is null");
            if (historyLimit < 1) {
                throw new IllegalArgumentException("historyLimit: " + historyLimit + " (expected: >= 1)");
            }
            requireNonNull(systemPrompt, "systemPrompt is null");
        }
    }

    private final Store store;
    private final LoopTimings timings;
    private volatile AgentSetup setup;

    /**
     * @param systemPrompt the system prompt for every run; empty: the runtime's own
     * @param timings gets each agent run's duration
     */
    Turns(Store store, AgentRuntime agent, int historyLimit, Optional<String> systemPrompt, LoopTimings timings) {
        this.store = requireNonNull(store, "store is null");
        this.timings = requireNonNull(timings, "timings is null");
        this.setup = new AgentSetup(agent, historyLimit, systemPrompt);
    }

    /** Runs the turns that start from now on with {@code next}; running turns finish with what they began with. */
    void reconfigure(AgentSetup next) {
        this.setup = requireNonNull(next, "next is null");
    }

    /**
     * Runs one turn; empty when interrupted (a close). Call after {@link TurnControl#begin()}; an
     * abort through {@code control} stores nothing. {@code withReply} gets the reply (or the apology)
     * inside the transaction that stores the turn, so what it writes (a platform message's outbox row)
     * is committed with the turn or not at all: a crash never leaves a stored turn without its reply,
     * which would answer it twice.
     */
    Optional<Outcome> run(
            String sessionKey,
            String userText,
            String runId,
            Consumer<String> onDelta,
            TurnControl control,
            Consumer<String> withReply) {
        AgentSetup agent = setup;
        int historyLimit = agent.historyLimit();
        String text = userText.strip();
        if (text.equals("/new") || text.equals("/reset")) {
            if (!control.commit()) {
                return Optional.of(Outcome.aborted());
            }
            store.atomically("reset " + sessionKey, () -> {
                store.sessions().reset(sessionKey);
                withReply.accept(NEW_SESSION_REPLY);
                return null;
            });
            return Optional.of(new Outcome(NEW_SESSION_REPLY, Outcome.Kind.OK));
        }
        record Context(SessionRow session, List<ChatMessage> history) {}
        Context context = store.atomically("read session " + sessionKey, () -> {
            SessionRow current = store.sessions().current(sessionKey);
            return new Context(
                    current,
                    store.sessions().history(current.id(), historyLimit).stream()
                            .map(Turns::chatMessage)
                            .toList());
        });
        AgentRequest request = AgentRequest.of(runId, sessionKey, userText)
                .withHistory(context.history())
                .withOnDelta(delta -> {
                    if (!control.aborted()) {
                        onDelta.accept(delta);
                    }
                });
        if (agent.systemPrompt().isPresent()) {
            request = request.withSystemPrompt(agent.systemPrompt().get());
        }
        MDC.put("runId", runId);
        AgentRun run = null;
        long started = System.nanoTime();
        boolean timed = false; // a store failure after the run is not the agent's
        try {
            run = agent.runtime().run(request);
            control.attach(run);
            String answer = run.result()
                    .get(AGENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .text();
            timings.agentRun(System.nanoTime() - started, true);
            timed = true;
            if (!control.commit()) {
                return Optional.of(Outcome.aborted());
            }
            long sessionId = context.session().id();
            store.atomically("store turn of " + sessionKey, () -> {
                store.sessions().appendTurn(sessionId, Turn.Role.USER, userText);
                store.sessions().appendTurn(sessionId, Turn.Role.ASSISTANT, answer);
                store.sessions().trim(sessionId, historyLimit);
                withReply.accept(answer);
                return null;
            });
            return Optional.of(new Outcome(answer, Outcome.Kind.OK));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (run != null) {
                run.abort();
            }
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (run != null) {
                run.abort();
            }
            if (control.aborted()) {
                return Optional.of(Outcome.aborted());
            }
            if (!timed) {
                timings.agentRun(System.nanoTime() - started, false);
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String apology = AgentFailures.apology(cause, AgentFailures.newReferenceId());
            withReply.accept(apology);
            return Optional.of(new Outcome(apology, Outcome.Kind.FAILED));
        } finally {
            MDC.remove("runId");
        }
    }

    private static ChatMessage chatMessage(Turn turn) {
        return switch (turn.role()) {
            case SYSTEM -> ChatMessage.system(turn.content());
            case USER -> ChatMessage.user(turn.content());
            case ASSISTANT -> ChatMessage.assistant(turn.content());
        };
    }
}
