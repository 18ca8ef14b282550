package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.feishu.FeishuSettings;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import dev.switchboard.spi.StatusReporter;
import dev.switchboard.spi.TextSplitter;
import dev.switchboard.spi.WebhookRegistration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * One Feishu/Lark app in long-connection mode. A worker thread fetches the bot's open_id, asks the platform for
 * the connection's endpoint, opens it and waits until it ends, then does it again after a backoff; events are
 * acknowledged on the socket right after the gateway's durable accept. Replies go out through {@link OpenApi}
 * on the caller's thread, each part with a {@link Uuids uuid} derived from the outbox row.
 *
 * <p>In webhook mode the worker fetches the bot's open_id, then registers a {@link WebhookReceiver} on the
 * gateway's port instead of opening the long connection; {@link #close()} removes the route.
 */
public final class FeishuAdapter implements ChannelAdapter {
    /**
     * The longest part, in UTF-16 units. A text message's request may be 150 KB; a part this long stays under it even
     * when every character is one JSON escapes twice (a control character: 7 bytes in the body).
     */
    static final int FEISHU_LIMIT = 18_000;

    private static final Logger log = LoggerFactory.getLogger(FeishuAdapter.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** The longest rate-limit reset honoured; a larger one (a broken proxy) would stall the outbox lane. */
    static final Duration MAX_RESET = Duration.ofHours(1);
    /** Send errors that no retry fixes: the bot is out of the chat, the message is gone, no permission. */
    private static final Set<Integer> PERMANENT_SEND_CODES =
            Set.of(230001, 230002, 230006, 230011, 230013, 230017, 230018, 230025, 230027, 230099, 99991672);

    private final ChannelContext context;
    private final StatusReporter status;
    private final String accountId;
    private final ObjectMapper mapper = new ObjectMapper();
    private final OpenApi api;
    private final OkHttpClient socketClient;
    private final EventFrames frames;
    private final FeishuSettings settings;
    private final MessageEvents events;
    private final Backoff.Retries retryDelays = Backoff.CHANNEL_RESTART.retries();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** How many parts of a split reply went out, so a retry starts at the first one that did not. */
    private final Map<String, Integer> deliveredParts = new ConcurrentHashMap<>();

    private volatile String botOpenId = "";
    private volatile @Nullable Thread worker;
    private volatile @Nullable LongConnection connection;
    private volatile @Nullable WebhookRegistration webhook;

    public FeishuAdapter(ChannelContext context, FeishuSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.status = context.status();
        this.accountId = context.settings().accountId();
        OkHttpClient shared = context.httpClient();
        this.api = new OpenApi(
                mapper, shared, settings.baseUrl(), settings.appId(), settings.appSecret(), context.clock());
        // the socket's reads wait for the next event: no read timeout (silence is caught by the pings)
        this.socketClient = shared.newBuilder().readTimeout(Duration.ZERO).build();
        this.events = new MessageEvents(
                context.settings().channelId(), accountId, settings.requireMention(), () -> botOpenId);
        this.frames = new EventFrames(events, context.inbound(), context.clock(), status, this::reportDegraded);
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::run, "feishu-" + accountId);
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    // ------------------------------------------------------------------------------ receiving

    private void run() {
        MDC.put("channel", context.settings().channelId());
        MDC.put("account", accountId);
        try {
            if (!fetchBotInfo()) {
                return;
            }
            if (settings.mode() == FeishuSettings.Mode.WEBHOOK) {
                serveWebhook();
                return;
            }
            connectLoop();
        } catch (RuntimeException e) {
            if (!isClosed()) {
                String reason = OpenApi.describe(e);
                log.error("feishu worker stopped unexpectedly: {}", reason);
                status.failed("the Feishu worker stopped unexpectedly: " + reason, false);
            }
        } finally {
            MDC.clear();
        }
    }

    /** The bot's open_id, which mention checks and "our own message" checks need before any event is read. */
    private boolean fetchBotInfo() {
        while (!isClosed()) {
            try {
                OpenApi.BotInfo bot = api.botInfo();
                botOpenId = bot.openId();
                log.info("feishu bot \"{}\" ({}) on {}", bot.name(), bot.openId(), api.baseUrl());
                return true;
            } catch (CredentialsRejectedException e) {
                report(State.FAILED, e.getMessage());
                return false;
            } catch (FeishuApiException e) {
                if (e.isRateLimited()) {
                    Duration wait = e.reset().map(FeishuAdapter::capped).orElseGet(retryDelays::next);
                    reportWaiting("the platform rate-limits bot info (" + e.getMessage() + ")", wait);
                    pause(wait);
                } else {
                    report(State.DEGRADED, "bot info failed (" + e.getMessage() + "); retrying");
                    pause(retryDelays.next());
                }
            } catch (IOException e) {
                onNetworkFailure(e);
            }
        }
        return false;
    }

    /** Webhook mode: the route on the gateway's port receives the events from here on. */
    private void serveWebhook() {
        WebhookRegistration registration;
        try {
            registration = context.webhook(new WebhookReceiver(
                    settings.verificationToken(),
                    settings.encryptKey(),
                    events,
                    context.inbound(),
                    context.clock(),
                    status::skipped));
        } catch (UnsupportedOperationException e) {
            report(
                    State.FAILED,
                    "webhook mode needs a gateway that serves webhook routes; this one does not (" + e.getMessage()
                            + ")");
            return;
        }
        webhook = registration;
        if (isClosed()) {
            registration.close(); // close() ran while registering: it may have missed the route
            return;
        }
        log.info("feishu webhook mode: events are read at {} on the gateway's port", registration.path());
        report(State.CONNECTED, "");
    }

    private void connectLoop() {
        while (!isClosed()) {
            OpenApi.Endpoint endpoint;
            try {
                endpoint = api.endpoint();
            } catch (CredentialsRejectedException e) {
                report(State.FAILED, e.getMessage());
                return;
            } catch (OpenApi.EndpointUnavailableException e) {
                report(State.RECONNECTING, e.getMessage() + "; retrying");
                pause(retryDelays.next());
                continue;
            } catch (IOException e) {
                onNetworkFailure(e);
                continue;
            }
            LongConnection.End end = runConnection(endpoint);
            if (isClosed()) {
                return;
            }
            if (end instanceof LongConnection.Rejected rejected) {
                String reason = "the platform refused the long connection (Handshake-Status "
                        + rejected.handshakeStatus() + (rejected.message().isEmpty() ? "" : ": " + rejected.message())
                        + rejected.authErrorCode()
                                .map(code -> ", Handshake-Autherrcode " + code)
                                .orElse("") + ")";
                if (rejected.permanent()) {
                    report(
                            State.FAILED,
                            reason + "; check the app's credentials and that it may use the long" + " connection");
                    return;
                }
                report(State.DEGRADED, reason + "; retrying");
            } else if (end instanceof LongConnection.Broken broken) {
                if (broken.wasOpen()) {
                    retryDelays.reset(); // it worked: the next reconnect is quick again
                }
                report(State.RECONNECTING, broken.reason() + "; reconnecting");
            }
            // the server's ReconnectInterval bounds the backoff; the backoff's jitter spreads reconnects
            Duration wait = retryDelays.next();
            Duration serverInterval = endpoint.config().reconnectInterval();
            pause(wait.compareTo(serverInterval) > 0 ? serverInterval : wait);
        }
    }

    private LongConnection.End runConnection(OpenApi.Endpoint endpoint) {
        LongConnection conn = new LongConnection(
                mapper, context.clock(), context.scheduler(), endpoint, frames, () -> report(State.CONNECTED, ""));
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
            return new LongConnection.Broken(OpenApi.describe(e), false);
        } finally {
            connection = null;
        }
    }

    private void onNetworkFailure(IOException e) {
        report(
                State.RECONNECTING,
                "cannot reach the open platform at " + api.baseUrl() + " (" + e.getMessage() + "); retrying");
        pause(retryDelays.next());
    }

    static Duration capped(Duration reset) {
        return reset.compareTo(MAX_RESET) > 0 ? MAX_RESET : reset;
    }

    private enum State {
        CONNECTED,
        RECONNECTING,
        DEGRADED,
        FAILED
    }

    private void reportDegraded(String reason) {
        report(State.DEGRADED, reason);
    }

    /** Tells the gateway about a state change; the gateway logs it, once. */
    private void report(State state, String reason) {
        if (isClosed()) {
            return;
        }
        switch (state) {
            case CONNECTED -> status.connected();
            case RECONNECTING -> status.reconnecting(reason);
            case DEGRADED -> status.degraded(reason);
            case FAILED -> status.failed(reason, true);
        }
    }

    private void reportWaiting(String reason, Duration wait) {
        if (isClosed()) {
            return;
        }
        status.waiting(reason, wait);
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
        List<String> parts = TextSplitter.byUtf16Units(message.text(), FEISHU_LIMIT).stream()
                .filter(part -> !part.isBlank())
                .toList();
        if (parts.isEmpty()) {
            throw SendException.permanent("the reply is empty; the platform does not send empty text messages");
        }
        int done = deliveredParts.getOrDefault(message.idempotencyKey(), 0);
        for (int i = done; i < parts.size(); i++) {
            sendPart(message, parts.get(i), Uuids.of(accountId, message.idempotencyKey(), i));
            if (i + 1 < parts.size()) {
                deliveredParts.put(message.idempotencyKey(), i + 1);
            }
        }
        deliveredParts.remove(message.idempotencyKey());
    }

    private void sendPart(OutboundMessage message, String text, String uuid) {
        Optional<String> replyTo = message.replyToPlatformMessageId();
        String what = replyTo.map(id -> "reply to " + id).orElse("send to chat " + message.conversationId());
        try {
            if (replyTo.isPresent()) {
                api.reply(replyTo.get(), text, message.threadId().isPresent(), uuid);
            } else {
                api.send(message.conversationId(), text, uuid);
            }
        } catch (IOException e) {
            throw SendException.retryable("Feishu " + what + " failed: " + e.getMessage(), null);
        } catch (CredentialsRejectedException e) {
            report(State.FAILED, e.getMessage());
            // the reply waits in the outbox until the account runs again with valid credentials
            throw SendException.retryable("Feishu " + what + ": " + e.getMessage(), null);
        } catch (FeishuApiException e) {
            throw sendFailure(e, what);
        }
    }

    private static SendException sendFailure(FeishuApiException e, String what) {
        String reason = "Feishu " + what + ": " + e.getMessage();
        if (e.isRateLimited()) {
            return SendException.rateLimited(
                    reason,
                    e.reset()
                            .filter(d -> !d.isZero())
                            .map(FeishuAdapter::capped)
                            .orElse(Backoff.CHANNEL_RESTART.min()));
        }
        if (e.isServerError() || e.code() == 0 || e.isTokenError()) {
            return SendException.retryable(reason, null);
        }
        if (PERMANENT_SEND_CODES.contains(e.code())
                || e.httpStatus() == 400
                || e.httpStatus() == 403
                || e.httpStatus() == 404) {
            return SendException.permanent(reason);
        }
        return SendException.retryable(reason, null);
    }

    // ------------------------------------------------------------------------------ lifecycle

    @Override
    public ProbeResult probe() {
        try {
            OpenApi.BotInfo bot = api.botInfo();
            return ProbeResult.ok("bot \"" + bot.name() + "\" (open_id " + bot.openId() + ")");
        } catch (CredentialsRejectedException e) {
            return ProbeResult.failed(e.getMessage());
        } catch (FeishuApiException e) {
            return ProbeResult.failed(e.getMessage());
        } catch (IOException e) {
            return ProbeResult.failed("cannot reach the open platform at " + api.baseUrl() + ": " + e.getMessage());
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
        WebhookRegistration registration = webhook;
        if (registration != null) {
            registration.close();
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
