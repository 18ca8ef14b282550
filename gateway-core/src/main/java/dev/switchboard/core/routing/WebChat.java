package dev.switchboard.core.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.store.IdempotencyRepository;
import dev.switchboard.core.store.SessionRow;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.Turn;
import java.util.List;

/**
 * The built-in {@code webchat} channel (SPEC §5.3 {@code chat.send}): protocol clients talk to the
 * gateway's agent directly. Turns run on the reply loop's serial lane of their session key, so they
 * are ordered with the session's other turns; the reply streams to a {@link ProtocolRuns.Listener} (the socket
 * that asked), never through a platform adapter or the outbox. The runs themselves are {@link
 * ProtocolRuns}, shared with the {@code agent} method.
 */
public final class WebChat {
    /** The channel prefix of every webchat session key. */
    public static final String CHANNEL = SessionKeys.WEBCHAT;

    static final String IDEMPOTENCY_KIND = "chat.send";

    private final Store store;
    private final ProtocolRuns runs;

    WebChat(Store store, ProtocolRuns runs) {
        this.store = requireNonNull(store, "store is null");
        this.runs = requireNonNull(runs, "runs is null");
    }

    /** {@link SessionKeys#webchat}. */
    public static String sessionKey(String key) {
        return SessionKeys.webchat(key);
    }

    /**
     * Starts a run of {@code message} in the webchat session, or returns the first run of a repeated
     * idempotency key (live for {@link IdempotencyRepository#TTL}) without starting another ({@link
     * ProtocolRuns#start}). The returned {@code start} runnable queues the run.
     */
    public ProtocolRuns.Start send(String key, String message, String idempotencyKey, ProtocolRuns.Listener listener) {
        return runs.start(IDEMPOTENCY_KIND, sessionKey(key), message, idempotencyKey, listener, result -> result);
    }

    /** The protocol runs of this gateway ({@code chat.send} and {@code agent}: await, abort). */
    public ProtocolRuns runs() {
        return runs;
    }

    /**
     * The session's turns, oldest first (the last {@code limit}). {@code key} is a full session key
     * when a current session has exactly that key (as {@code sessions.list} shows, e.g. an {@code
     * agent} session or {@code telegram:bot:42}), else a webchat key ({@link #sessionKey}).
     */
    public History history(String key, int limit) {
        requireNonNull(key, "key is null");
        SessionRow session =
                store.sessions().find(key).orElseGet(() -> store.sessions().current(sessionKey(key)));
        return new History(session, store.sessions().history(session.id(), limit));
    }

    /** A session and its turns. */
    public record History(SessionRow session, List<Turn> turns) {}

    /** Ends the session and starts a new one (on the session's lane's terms: at once). */
    public SessionRow reset(String key) {
        return store.sessions().reset(sessionKey(key));
    }

    /** Every current session, of every channel, most recently active first. */
    public List<SessionRow> sessions() {
        return store.sessions().list();
    }
}
