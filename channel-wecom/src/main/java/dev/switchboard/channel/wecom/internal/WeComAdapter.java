package dev.switchboard.channel.wecom.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.wecom.WeComSettings;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.StatusReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One WeCom AI bot. A worker thread opens the long connection, subscribes and waits until the connection ends,
 * then opens it again after a backoff. Callbacks are read on the socket's reader thread: messages go to the
 * gateway's inbound sink (which deduplicates them on {@code msgid}), {@code enter_chat} gets the welcome. Replies
 * go out through {@link Replies} on the caller's thread, on whatever connection is subscribed at the time.
 */
public final class WeComAdapter implements ChannelAdapter {
    private static final Logger log = LoggerFactory.getLogger(WeComAdapter.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final int REMEMBERED_DROPS = 1_000;
    /**
     * The backoff after another client took the bot: it grows with each take-over (seconds, then minutes), so two
     * clients of one bot do not kick each other in a tight loop, and starts again after {@link #KICKS_FORGOTTEN}
     * without one.
     */
    static final Backoff TAKE_OVER = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10));

    static final Duration KICKS_FORGOTTEN = Duration.ofMinutes(10);
    /** Subscribe refusals that pass by themselves: system busy, too many requests. */
    private static final Set<Integer> TRANSIENT_REFUSALS = Set.of(Ack.SYSTEM_BUSY, Ack.SEND_FREQ_OUT_OF_LIMIT);

    private final ChannelContext context;
    private final WeComSettings settings;
    private final StatusReporter status;
    private final String accountId;
    private final OkHttpClient socketClient;
    private final Callbacks callbacks;
    private final ReplyTargets targets = new ReplyTargets();
    private final Replies replies;
    private final Backoff.Retries retryDelays = Backoff.CHANNEL_RESTART.retries();
    private final Backoff.Retries kickDelays = TAKE_OVER.retries();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Set<String> loggedDrops = ConcurrentHashMap.newKeySet();

    private volatile @Nullable Thread worker;
    private volatile @Nullable LongConnection connection;
    private volatile @Nullable LongConnection probing;
    private volatile @Nullable Instant lastKick;
    private volatile String lastReported = "";
    private volatile String lastProblem = "not connected yet";
    private volatile @Nullable String refusal;

    public WeComAdapter(ChannelContext context, WeComSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.status = context.status();
        this.accountId = context.settings().accountId();
        // the socket's reads wait for the next callback: no read timeout (silence is caught by the pings)
        this.socketClient =
                context.httpClient().newBuilder().readTimeout(Duration.ZERO).build();
        this.callbacks = new Callbacks(context.settings().channelId(), accountId);
        this.replies = new Replies(accountId, context.clock(), targets, () -> connection);
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::run, "wecom-" + accountId);
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    // ------------------------------------------------------------------------------ receiving

    private void run() {
        MDC.put("channel", context.settings().channelId());
        MDC.put("account", accountId);
        try {
            connectLoop();
        } catch (RuntimeException e) {
            if (!isClosed()) {
                String reason = LongConnection.describe(e);
                log.error("wecom worker stopped unexpectedly: {}", reason, e);
                status.failed("the WeCom worker stopped unexpectedly: " + reason, false);
            }
        } finally {
            MDC.clear();
        }
    }

    private void connectLoop() {
        while (!isClosed()) {
            LongConnection.End end = runConnection();
            if (isClosed()) {
                return;
            }
            if (end instanceof LongConnection.Refused refused) {
                String reason = "the platform refused the subscription ("
                        + refused.ack().describe() + ")";
                if (!TRANSIENT_REFUSALS.contains(refused.ack().errcode())) {
                    refusal = reason;
                    report(
                            State.FAILED,
                            reason + ": check bot_id and secret (the bot's long-connection settings in"
                                    + " the admin console)");
                    return;
                }
                report(State.RECONNECTING, reason + "; retrying");
                pause(retryDelays.next());
            } else if (end instanceof LongConnection.TakenOver) {
                Instant now = context.clock().instant();
                Instant previous = lastKick;
                if (previous != null && Duration.between(previous, now).compareTo(KICKS_FORGOTTEN) > 0) {
                    kickDelays.reset();
                }
                lastKick = now;
                Duration wait = kickDelays.next();
                report(
                        State.DEGRADED,
                        "another client took the bot (disconnected_event: a second connection subscribed with this"
                                + " bot_id); reconnecting in " + Math.max(1, wait.toSeconds()) + " s, longer each time"
                                + " it happens again (stop the other client: an old gateway, an SDK script)");
                pause(wait);
            } else if (end instanceof LongConnection.Broken broken) {
                if (broken.wasSubscribed()) {
                    retryDelays.reset(); // it worked: the next reconnect is quick again
                }
                report(State.RECONNECTING, broken.reason() + "; reconnecting");
                pause(retryDelays.next());
            }
        }
    }

    private LongConnection.End runConnection() {
        LongConnection conn = new LongConnection(
                settings.wsUrl(),
                settings.botId(),
                settings.secret(),
                context.clock(),
                context.scheduler(),
                settings.pingInterval(),
                new Listener());
        connection = conn;
        if (isClosed()) {
            return new LongConnection.Broken("closed", false);
        }
        conn.open(socketClient);
        try {
            while (true) {
                try {
                    return conn.ended().get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    if (isClosed()) {
                        conn.close();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            conn.close();
            return new LongConnection.Broken("interrupted", false);
        } catch (ExecutionException e) {
            conn.close();
            return new LongConnection.Broken(LongConnection.describe(e), false);
        } finally {
            // a closing socket may still be answering: cancel it, it is not ours any more
            conn.abandon(new LongConnection.Broken("replaced", false));
        }
    }

    /** Callbacks, on the socket's reader thread. */
    private final class Listener implements LongConnection.Listener {
        @Override
        public void onSubscribed() {
            MDC.put("channel", context.settings().channelId());
            MDC.put("account", accountId);
            log.info("wecom long connection subscribed at {}", settings.wsUrl());
            report(State.CONNECTED, "");
        }

        @Override
        public void onFrame(@Nullable JsonNode frame, String text, LongConnection conn) {
            if (frame == null) {
                status.skipped("a frame that is not a JSON object (" + text.length() + " chars)");
                return;
            }
            Callbacks.Read read = callbacks.read(frame, context.clock().instant());
            if (read instanceof Callbacks.Message message) {
                accept(message);
            } else if (read instanceof Callbacks.EnterChat enter) {
                welcome(enter, conn);
            } else if (read instanceof Callbacks.Malformed malformed) {
                status.skipped(malformed.reason());
            } else if (read instanceof Callbacks.Ignored ignored) {
                log.debug("wecom: passing over {}", ignored.reason());
            }
        }
    }

    private void accept(Callbacks.Message read) {
        String sender = read.message().senderId();
        if (!settings.allowsSender(sender)) {
            // counted in DROPPED and logged by the gateway; never stored, never answered
            status.skipped("message " + read.message().platformMessageId() + " from " + sender
                    + ": not in allowed_sender_ids");
            return;
        }
        InboundSink.Result result;
        try {
            result = context.inbound().accept(read.message());
        } catch (RuntimeException e) {
            // InboundRejectedException (the store cannot write): not answered, so the platform may push it again
            report(
                    State.DEGRADED,
                    "the gateway could not store an incoming message (" + LongConnection.describe(e)
                            + "); it is not answered, and answered once if the platform pushes it again");
            return;
        }
        if (lastReported.startsWith(State.DEGRADED.name()) && lastProblem.contains("could not store")) {
            report(State.CONNECTED, "");
        }
        String msgid = read.message().platformMessageId();
        switch (result) {
            case ACCEPTED, DUPLICATE -> targets.remember(
                    msgid, read.reqId(), context.clock().instant());
            case DROPPED -> noteDrop(read.message().conversationId());
        }
    }

    private void noteDrop(String conversationId) {
        if (loggedDrops.size() < REMEMBERED_DROPS && loggedDrops.add(conversationId)) {
            log.info("wecom: dropped a message from conversation {} (not in allowed_conversation_ids)", conversationId);
        }
    }

    /** The welcome, sent without blocking the reader thread (its acknowledgement arrives on it). */
    private void welcome(Callbacks.EnterChat enter, LongConnection conn) {
        if (settings.welcomeMessage().isEmpty()) {
            log.debug("wecom: {} opened the chat; no welcome_message configured", enter.userid());
            return;
        }
        if (!settings.allows(enter.userid(), enter.userid())) {
            log.debug("wecom: {} opened the chat; not in the allowlists, no welcome", enter.userid());
            return;
        }
        var unused = conn.sendOn(
                        Frames.RESPOND_WELCOME_MSG,
                        enter.reqId(),
                        Frames.welcomeBody(settings.welcomeMessage().get()))
                .whenComplete((ack, failure) -> {
                    if (failure != null) {
                        log.warn(
                                "wecom: the welcome to {} was not acknowledged ({})",
                                enter.userid(),
                                failure.getMessage());
                    } else if (!ack.ok()) {
                        log.warn("wecom: the welcome to {} was refused ({})", enter.userid(), ack.describe());
                    }
                });
    }

    private enum State {
        CONNECTED,
        RECONNECTING,
        DEGRADED,
        FAILED
    }

    /** Tells the gateway about a state change; the gateway logs it, once. */
    private void report(State state, String reason) {
        if (isClosed()) {
            return;
        }
        String key = state + reason;
        lastReported = key;
        if (state != State.CONNECTED) {
            lastProblem = reason;
        }
        switch (state) {
            case CONNECTED -> status.connected();
            case RECONNECTING -> status.reconnecting(reason);
            case DEGRADED -> status.degraded(reason);
            case FAILED -> status.failed(reason, true);
        }
    }

    private void pause(Duration duration) {
        try {
            closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0 || Thread.currentThread().isInterrupted();
    }

    // -------------------------------------------------------------------------------- sending

    @Override
    public void send(OutboundMessage message) {
        requireNonNull(message, "message is null");
        replies.send(message);
    }

    // ------------------------------------------------------------------------------ lifecycle

    /**
     * Once started, the live connection's state, not a fresh subscribe: the platform keeps one connection per bot,
     * so a probe that subscribed would take the bot from the running connection (and the callbacks with it).
     * Never started (as {@code switchboard doctor} probes an account no gateway of its state directory runs): a
     * subscribe on a fresh socket, closed as soon as it is answered.
     */
    @Override
    public ProbeResult probe() {
        if (worker == null) {
            return probeWithAFreshSubscription();
        }
        String refused = refusal;
        if (refused != null) {
            return ProbeResult.failed(refused);
        }
        LongConnection conn = connection;
        if (conn != null && conn.subscribed()) {
            long quiet = Duration.between(conn.lastHeard(), context.clock().instant())
                    .toSeconds();
            return ProbeResult.ok("the long connection is subscribed (the platform last answered " + quiet + " s ago)");
        }
        return ProbeResult.failed("not subscribed right now: " + lastProblem);
    }

    private ProbeResult probeWithAFreshSubscription() {
        CompletableFuture<Boolean> subscribed = new CompletableFuture<>();
        LongConnection conn = new LongConnection(
                settings.wsUrl(),
                settings.botId(),
                settings.secret(),
                context.clock(),
                context.scheduler(),
                settings.pingInterval(),
                new LongConnection.Listener() {
                    @Override
                    public void onSubscribed() {
                        subscribed.complete(true);
                    }

                    @Override
                    public void onFrame(@Nullable JsonNode frame, String text, LongConnection connection) {
                        // a probe answers nothing: what arrives now is not answered, as if the socket had dropped
                    }
                });
        probing = conn;
        if (closed.getCount() == 0) {
            return ProbeResult.failed("the account was closed");
        }
        conn.open(socketClient);
        try {
            CompletableFuture.anyOf(subscribed, conn.ended())
                    .get(LongConnection.ACK_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            if (subscribed.isDone()) {
                return ProbeResult.ok("the platform accepted the subscription at " + settings.wsUrl());
            }
            LongConnection.End end = conn.ended().getNow(new LongConnection.Broken("no answer", false));
            if (end instanceof LongConnection.Refused refused) {
                return ProbeResult.failed("the platform refused the subscription ("
                        + refused.ack().describe() + "): check bot_id and secret");
            }
            return ProbeResult.failed("cannot subscribe at " + settings.wsUrl() + ": " + LongConnection.describe(end));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.failed("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return ProbeResult.failed("no answer to the subscription at " + settings.wsUrl() + " in time");
        } finally {
            conn.close();
        }
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        LongConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
        LongConnection probe = probing;
        if (probe != null) {
            probe.close();
        }
        Thread thread = worker;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(CLOSE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
