package dev.switchboard.channel.wecom.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.SendException;
import dev.switchboard.spi.TextSplitter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Sends the gateway's replies on the long connection. A reply to a message whose callback {@code req_id} is known
 * ({@link ReplyTargets}) is an {@code aibot_respond_msg} {@code stream} message on that {@code req_id}, finished in
 * its one frame ({@code finish:true}), its content at most {@link #STREAM_LIMIT} UTF-8 bytes; the rest of a longer
 * reply follows as {@code aibot_send_msg} markdown messages of at most {@link #MARKDOWN_LIMIT} bytes. When the
 * callback can no longer be answered (its window passed: {@code 846605}, {@code 846608}; or it was answered:
 * {@code 846606}), and for a message without a known {@code req_id} (a proactive send, a reply after a restart), the
 * whole reply goes out as markdown messages to the conversation. Each frame waits for its acknowledgement before the
 * next is sent; a part that went out is not sent again when the outbox retries the reply.
 */
final class Replies {
    /** The most UTF-8 bytes of a stream's content. */
    static final int STREAM_LIMIT = 20480;
    /**
     * The most UTF-8 bytes of a markdown message: 4096 is the platform's documented markdown limit (error 40058
     * above it); the long connection's own limit for proactive markdown is not documented.
     */
    static final int MARKDOWN_LIMIT = 4096;

    /** How far a reply got: parts delivered, and whether it switched to proactive markdown. */
    private record Progress(boolean proactive, int done) {}

    private final String accountId;
    private final Clock clock;
    private final ReplyTargets targets;
    private final Supplier<@Nullable LongConnection> connection;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();

    Replies(String accountId, Clock clock, ReplyTargets targets, Supplier<@Nullable LongConnection> connection) {
        this.accountId = requireNonNull(accountId, "accountId is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.targets = requireNonNull(targets, "targets is null");
        this.connection = requireNonNull(connection, "connection is null");
    }

    void send(OutboundMessage message) {
        if (message.text().isBlank()) {
            throw SendException.permanent("the reply is empty; the platform does not send empty messages");
        }
        String key = message.idempotencyKey();
        Optional<ReplyTargets.Target> target =
                message.replyToPlatformMessageId().flatMap(msgid -> targets.find(msgid, clock.instant()));
        Progress at = progress.getOrDefault(key, new Progress(target.isEmpty(), 0));
        // once the stream part went out, the rest continues as markdown even when the req_id has expired since
        if (!at.proactive() && (target.isPresent() || at.done() > 0)) {
            List<String> parts = parts(message.text(), STREAM_LIMIT);
            if (at.done() == 0 && target.isPresent()) {
                if (stream(target.get().reqId(), streamId(key), parts.get(0))) {
                    at = record(key, new Progress(false, 1));
                } else {
                    at = record(key, new Progress(true, 0)); // the window closed: the whole reply as markdown
                }
            }
            if (!at.proactive()) {
                for (int i = at.done(); i < parts.size(); i++) {
                    markdown(message.conversationId(), parts.get(i));
                    record(key, new Progress(false, i + 1));
                }
            }
        }
        if (at.proactive()) {
            List<String> parts = parts(message.text(), MARKDOWN_LIMIT);
            for (int i = at.done(); i < parts.size(); i++) {
                markdown(message.conversationId(), parts.get(i));
                record(key, new Progress(true, i + 1));
            }
        }
        progress.remove(key);
        message.replyToPlatformMessageId().ifPresent(targets::forget);
    }

    private Progress record(String key, Progress at) {
        progress.put(key, at);
        return at;
    }

    /** The first part at most {@code firstLimit} UTF-8 bytes, every later one at most {@link #MARKDOWN_LIMIT}. */
    private static List<String> parts(String text, int firstLimit) {
        List<String> pieces = TextSplitter.byUtf8Bytes(text, firstLimit);
        List<String> parts = new ArrayList<>();
        parts.add(pieces.get(0));
        for (String piece : pieces.subList(1, pieces.size())) {
            parts.addAll(TextSplitter.byUtf8Bytes(piece, MARKDOWN_LIMIT));
        }
        List<String> sent = parts.stream().filter(part -> !part.isBlank()).toList();
        return sent.isEmpty() ? List.of(text) : sent;
    }

    /** The stream frame; false when the callback can no longer be answered (the caller falls back). */
    private boolean stream(String reqId, String streamId, String content) {
        String what = "reply on req_id " + reqId;
        LongConnection conn = live(what);
        Ack ack = await(what, conn.sendOn(Frames.RESPOND_MSG, reqId, Frames.streamBody(streamId, content, true)));
        if (ack.ok()) {
            return true;
        }
        if (ack.replyWindowClosed()) {
            return false;
        }
        throw refusal(what, ack, conn);
    }

    private void markdown(String conversationId, String content) {
        String what = "message to " + conversationId;
        LongConnection conn = live(what);
        Ack ack = await(what, conn.send(Frames.SEND_MSG, Frames.markdownBody(conversationId, content)));
        if (!ack.ok()) {
            throw refusal(what, ack, conn);
        }
    }

    private LongConnection live(String what) {
        LongConnection conn = connection.get();
        if (conn == null || !conn.subscribed()) {
            throw SendException.retryable(
                    "WeCom " + what + ": the long connection is not subscribed right now; sent again once it is", null);
        }
        return conn;
    }

    private static Ack await(String what, CompletableFuture<Ack> ack) {
        try {
            return ack.get(LongConnection.ACK_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SendException.retryable("WeCom " + what + ": interrupted while waiting for the acknowledgement", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw SendException.retryable("WeCom " + what + ": " + LongConnection.describe(cause), null);
        } catch (TimeoutException e) {
            throw SendException.retryable("WeCom " + what + ": no acknowledgement in time", null);
        }
    }

    /** WeCom's frequency and concurrency limits, which name no wait: retried after {@link #RATE_LIMIT_WAIT}. */
    static final int API_FREQ_OUT_OF_LIMIT = 45009;

    static final int API_CONCURRENT_OUT_OF_LIMIT = 45033;
    static final Duration RATE_LIMIT_WAIT = Duration.ofMinutes(1);

    /** An error acknowledgement: transient ones and rate limits are retried, parameter errors (40xxx) are not. */
    private static SendException refusal(String what, Ack ack, LongConnection conn) {
        String reason = "WeCom " + what + " refused: " + ack.describe();
        if (ack.errcode() == Ack.NOT_SUBSCRIBED) {
            // a stale socket (846609): a new connection subscribes, and the outbox sends again on it
            conn.abandon(new LongConnection.Broken(
                    "the platform no longer counts the socket as subscribed (" + ack.describe() + ")", true));
        }
        if (ack.transientFailure()) {
            return SendException.retryable(reason, null);
        }
        if (ack.errcode() == API_FREQ_OUT_OF_LIMIT || ack.errcode() == API_CONCURRENT_OUT_OF_LIMIT) {
            return SendException.rateLimited(reason, RATE_LIMIT_WAIT);
        }
        if (ack.errcode() >= 40000 && ack.errcode() < 41000) {
            return SendException.permanent(reason); // parameter errors: the same frame would be refused again
        }
        // a code this channel does not know: when in doubt, send again (SPEC §6)
        return SendException.retryable(reason, null);
    }

    /** The stream id: the same for every attempt of one reply, so a resent frame continues the same stream. */
    String streamId(String idempotencyKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((accountId + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            return "sb" + HexFormat.of().formatHex(digest, 0, 15);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
