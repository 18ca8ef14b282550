package dev.switchboard.core.routing.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.store.internal.IdempotencyRepository;
import dev.switchboard.core.store.internal.SessionRepository;
import dev.switchboard.core.store.internal.SessionRow;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.core.store.internal.Turn;
import dev.switchboard.spi.agent.ChatMessage;
import java.util.List;
import java.util.Optional;

/**
 * The built-in {@code webchat} channel (SPEC §5.3 {@code chat.send}): protocol clients talk to the
 * gateway's agent directly. Turns run on the reply loop's serial lane of their session key, so they
 * are ordered with the session's other turns; the reply streams to a {@link ProtocolRuns.Listener} (the socket
 * that asked), never through a platform adapter or the outbox. The runs themselves are {@link
 * ProtocolRuns}, shared with the {@code agent} method.
 */
public final class WebChat {
    static final String IDEMPOTENCY_KIND = "chat.send";

    private final Store store;
    private final ProtocolRuns runs;

    WebChat(Store store, ProtocolRuns runs) {
        this.store = requireNonNull(store, "store is null");
        this.runs = requireNonNull(runs, "runs is null");
    }

    /**
     * Starts a run of {@code message} in the webchat session, or returns the first run of a repeated
     * idempotency key (live for {@link IdempotencyRepository#TTL}) without starting another ({@link
     * ProtocolRuns#start}). The returned {@code start} runnable queues the run.
     */
    public ProtocolRuns.Start send(String key, String message, String idempotencyKey, ProtocolRuns.Listener listener) {
        return runs.start(
                IDEMPOTENCY_KIND, SessionKeys.webchat(key), message, idempotencyKey, listener, result -> result);
    }

    /**
     * Stores {@code context} (user and assistant messages, oldest first) in the current session of
     * {@code sessionKey}, in one commit: the history a client that keeps its own brings to a session
     * the gateway has not seen (the OpenAI-compatible API's fresh sessions). Call it before the
     * session's first run.
     */
    public void seed(String sessionKey, List<ChatMessage> context) {
        requireNonNull(sessionKey, "sessionKey is null");
        requireNonNull(context, "context is null");
        store.atomically("seed " + sessionKey, () -> {
            long sessionId = store.sessions().current(sessionKey).id();
            for (ChatMessage message : context) {
                store.sessions().appendTurn(sessionId, role(message.role()), message.content());
            }
            return null;
        });
    }

    private static Turn.Role role(ChatMessage.Role role) {
        return switch (role) {
            case SYSTEM -> Turn.Role.SYSTEM;
            case USER -> Turn.Role.USER;
            case ASSISTANT -> Turn.Role.ASSISTANT;
        };
    }

    /** The protocol runs of this gateway ({@code chat.send} and {@code agent}: await, abort). */
    public ProtocolRuns runs() {
        return runs;
    }

    /**
     * The newest page of a session's history ({@link SessionRepository#page}). {@code key} is a full
     * session key when a current session has exactly that key (as {@code sessions.list} shows, e.g.
     * an {@code agent} session or {@code telegram:bot:42}), else a webchat key ({@link SessionKeys#webchat}).
     */
    public HistoryPage history(String key, int maxTurns, long maxBytes) {
        requireNonNull(key, "key is null");
        SessionRepository sessions = store.sessions();
        SessionRow session = sessions.find(key).orElseGet(() -> sessions.current(SessionKeys.webchat(key)));
        return new HistoryPage(session, sessions.page(session.id(), Long.MAX_VALUE, maxTurns, maxBytes));
    }

    /**
     * A later page: the turns of session {@code sessionId} older than {@code beforeTurnId}. Empty when
     * that session is not one of {@code key} (as given or as its webchat form); it may have ended
     * since the first page, so paging finishes the session it started on.
     */
    public Optional<HistoryPage> history(String key, long sessionId, long beforeTurnId, int maxTurns, long maxBytes) {
        requireNonNull(key, "key is null");
        SessionRepository sessions = store.sessions();
        return sessions.byId(sessionId)
                .filter(session ->
                        session.sessionKey().equals(key) || session.sessionKey().equals(SessionKeys.webchat(key)))
                .map(session ->
                        new HistoryPage(session, sessions.page(session.id(), beforeTurnId, maxTurns, maxBytes)));
    }

    /** A session and one page of its turns. */
    public record HistoryPage(SessionRow session, SessionRepository.TurnPage turns) {}

    /** Ends the session and starts a new one (on the session's lane's terms: at once). */
    public SessionRow reset(String key) {
        return store.sessions().reset(SessionKeys.webchat(key));
    }

    /** Every current session, of every channel, most recently active first. */
    public List<SessionRow> sessions() {
        return store.sessions().list();
    }
}
