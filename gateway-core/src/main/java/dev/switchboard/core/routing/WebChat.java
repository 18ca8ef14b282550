package dev.switchboard.core.routing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.store.IdempotencyRecord;
import dev.switchboard.core.store.IdempotencyRepository;
import dev.switchboard.core.store.SessionRow;
import dev.switchboard.core.store.Store;
import dev.switchboard.core.store.Turn;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/**
 * The built-in {@code webchat} channel (SPEC §5.3 {@code chat.send}): protocol clients talk to the
 * gateway's agent directly. Turns run on the reply loop's serial lane of their session key, so they
 * are ordered with the session's other turns; the reply streams to a {@link Listener} (the socket
 * that asked), never through a platform adapter or the outbox.
 */
public final class WebChat {
    /** The channel prefix of every webchat session key. */
    public static final String CHANNEL = "webchat";

    static final String IDEMPOTENCY_KIND = "chat.send";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a run's progress goes; called on the session's lane, in order. */
    public interface Listener {
        void delta(int seq, String text);

        void finished(String text);

        void failed(String errorMessage);
    }

    /**
     * What {@link #send} answers.
     *
     * @param runId the run the idempotency key belongs to
     * @param sessionKey the webchat session key
     * @param status {@code started} (a new run), {@code in_flight}, {@code ok} or {@code error} (a repeat)
     * @param text the reply (status {@code ok}) or the error message (status {@code error})
     */
    public record Started(String runId, String sessionKey, String status, Optional<String> text) {}

    /** Thrown when the gateway is stopping and takes no more turns. */
    public static final class ClosedException extends RuntimeException {
        ClosedException() {
            super("the gateway is stopping");
        }
    }

    private final ReplyLoop loop;

    WebChat(ReplyLoop loop) {
        this.loop = loop;
    }

    /** {@code webchat:<key>}; a key that already starts with {@code webchat:} as given. */
    public static String sessionKey(String key) {
        requireNonNull(key, "key is null");
        return key.startsWith(CHANNEL + ":") ? key : CHANNEL + ":" + key;
    }

    /**
     * Starts a run of {@code message} in the session, or returns the first run of a repeated
     * idempotency key (live for {@link IdempotencyRepository#TTL}) without starting another.
     * {@code listener} hears a new run only. Called before the run's first event may be sent: the
     * returned {@code start} runnable queues the run.
     */
    public Start send(String key, String message, String idempotencyKey, Listener listener) {
        String sessionKey = sessionKey(key);
        Store store = loop.store();
        String claimKey = IDEMPOTENCY_KIND + ":" + idempotencyKey;
        String runId = UUID.randomUUID().toString();
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = store.clock().instant();
            if (store.idempotency().claim(claimKey, IDEMPOTENCY_KIND, runId, now)) {
                Started started = new Started(runId, sessionKey, "started", Optional.empty());
                return new Start(started, () -> queue(sessionKey, message, runId, claimKey, listener));
            }
            Optional<IdempotencyRecord> existing = store.idempotency().find(claimKey, now);
            if (existing.isPresent()) {
                return new Start(repeat(existing.get(), sessionKey), () -> {});
            }
        }
        throw new IllegalStateException("could not claim idempotency key " + idempotencyKey);
    }

    /** A run's answer and what starts it (after the answer is sent). */
    public record Start(Started started, Runnable start) {}

    private static Started repeat(IdempotencyRecord record, String sessionKey) {
        if (record.inFlight()) {
            return new Started(record.runId(), sessionKey, "in_flight", Optional.empty());
        }
        try {
            JsonNode result = JSON.readTree(record.resultJson().get());
            String status = result.path("status").asText("ok");
            return new Started(
                    record.runId(),
                    sessionKey,
                    status,
                    Optional.of(result.path("text").asText("")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable idempotency result of run " + record.runId(), e);
        }
    }

    private void queue(String sessionKey, String message, String runId, String claimKey, Listener listener) {
        boolean queued = loop.submit(sessionKey, () -> run(sessionKey, message, runId, claimKey, listener));
        if (!queued) {
            complete(claimKey, "error", new ClosedException().getMessage());
            listener.failed(new ClosedException().getMessage());
        }
    }

    private void run(String sessionKey, String message, String runId, String claimKey, Listener listener) {
        MDC.put("channel", CHANNEL);
        MDC.put("session", sessionKey);
        try {
            AtomicInteger seq = new AtomicInteger();
            Optional<ReplyLoop.TurnOutcome> outcome =
                    loop.turn(sessionKey, message, runId, delta -> listener.delta(seq.incrementAndGet(), delta));
            if (outcome.isEmpty()) {
                String stopping = new ClosedException().getMessage();
                complete(claimKey, "error", stopping);
                listener.failed(stopping);
            } else if (outcome.get().failed()) {
                complete(claimKey, "error", outcome.get().text());
                listener.failed(outcome.get().text());
            } else {
                complete(claimKey, "ok", outcome.get().text());
                listener.finished(outcome.get().text());
            }
        } catch (RuntimeException e) {
            String failure = "the gateway could not store the conversation";
            try {
                complete(claimKey, "error", failure);
            } finally {
                listener.failed(failure);
            }
            throw e;
        } finally {
            MDC.remove("channel");
            MDC.remove("session");
        }
    }

    private void complete(String claimKey, String status, String text) {
        ObjectNode result = JSON.createObjectNode().put("status", status).put("text", text);
        loop.store().idempotency().complete(claimKey, result.toString());
    }

    /** The session's turns, oldest first (the last {@code limit}). */
    public History history(String key, int limit) {
        String sessionKey = sessionKey(key);
        SessionRow session = loop.store().sessions().current(sessionKey);
        return new History(session, loop.store().sessions().history(session.id(), limit));
    }

    /** A session and its turns. */
    public record History(SessionRow session, List<Turn> turns) {}

    /** Ends the session and starts a new one (on the session's lane's terms: at once). */
    public SessionRow reset(String key) {
        return loop.store().sessions().reset(sessionKey(key));
    }

    /** Every current session, of every channel, most recently active first. */
    public List<SessionRow> sessions() {
        return loop.store().sessions().list();
    }
}
