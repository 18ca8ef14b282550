package dev.switchboard.channel.telegram.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.telegram.TelegramSettings;
import dev.switchboard.channel.telegram.internal.UpdateReader.BotIdentity;
import dev.switchboard.spi.Backoff;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import dev.switchboard.spi.StatusReporter;
import dev.switchboard.spi.TextSplitter;
import dev.switchboard.spi.WebhookRegistration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One Telegram bot account. A worker thread checks the token ({@code getMe}), then either long-polls
 * {@code getUpdates} or installs the webhook; replies go out with {@code sendMessage} on the
 * caller's thread.
 *
 * <p>Delivery: an update's offset is confirmed (stored, then sent to Telegram as the next {@code
 * offset}) only after the gateway has durably accepted, deduplicated or dropped its message (a
 * page in one commit). If the gateway rejects the page, it is fetched again after a backoff.
 */
public final class TelegramAdapter implements ChannelAdapter {
    /** Telegram's limit for a message text, in UTF-16 units (an emoji counts 2). */
    static final int TELEGRAM_LIMIT = 4096;

    private static final Logger log = LoggerFactory.getLogger(TelegramAdapter.class);
    static final String OFFSET_CURSOR = "offset";
    /** The bot the stored offset belongs to: an account switched to another bot starts over. */
    static final String BOT_CURSOR = "bot";

    private static final List<String> ALLOWED_UPDATES = List.of("message");
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /**
     * The longest {@code retry_after} the account honours. Telegram's real ones are seconds to a few
     * minutes; a larger one (2^31 s has been seen from a broken proxy) would stop polling for good.
     */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final ChannelContext context;
    private final StatusReporter status;
    private final TelegramSettings settings;
    private final BotApi api;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Backoff.Retries retryDelays = Backoff.CHANNEL_RESTART.retries();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** How many parts of a split reply are already delivered, so a retry does not send them again. */
    private final Map<String, Integer> deliveredParts = new ConcurrentHashMap<>();

    private final DroppedChats inbound;

    /** Set by the bootstrap (getMe), before any update is read. */
    private volatile @Nullable UpdateReader reader;

    private volatile @Nullable Call pollInFlight;
    private volatile @Nullable Thread worker;
    private volatile @Nullable WebhookRegistration webhookRoute;
    private @Nullable Long offset;

    /** An account with valid settings ({@link ChannelAdapter#misconfigured} runs the others). */
    public TelegramAdapter(ChannelContext context, TelegramSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.status = context.status();
        this.inbound = new DroppedChats(context.inbound());
        this.api = new BotApi(
                mapper, context.httpClient(), settings.apiBaseUrl(), settings.botToken(), settings.pollTimeout());
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::run, "telegram-" + context.settings().accountId());
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    // ------------------------------------------------------------------------------ receiving

    private void run() {
        MDC.put("channel", context.settings().channelId());
        MDC.put("account", context.settings().accountId());
        try {
            if (!bootstrap()) {
                return;
            }
            if (settings.mode() == TelegramSettings.Mode.POLLING) {
                pollLoop();
            }
        } catch (RuntimeException e) {
            // unexpected (a bug, a library failure): without the worker the account would sit
            // "connected" and receive nothing, so hand it to the supervisor to restart
            if (!isClosed()) {
                String reason = api.redaction().describe(e);
                log.error("telegram worker stopped unexpectedly: {}", reason);
                status.failed("the Telegram worker stopped unexpectedly: " + reason, false);
            }
        } finally {
            MDC.clear();
        }
    }

    /** getMe, then deleteWebhook (polling) or setWebhook (webhook); retried until it works or is hopeless. */
    private boolean bootstrap() {
        while (!isClosed()) {
            try {
                JsonNode me = api.call("getMe", api.params());
                BotIdentity identity = new BotIdentity(
                        me.path("id").asLong(), me.path("username").asText(""));
                reader = new UpdateReader(
                        context.settings().channelId(),
                        context.settings().accountId(),
                        settings.requireMention(),
                        identity);
                if (settings.mode() == TelegramSettings.Mode.POLLING) {
                    // a leftover webhook makes every getUpdates fail with 409
                    api.call("deleteWebhook", api.params().put("drop_pending_updates", false));
                    offset = storedOffset(identity.id()).orElse(null);
                    log.info(
                            "telegram bot @{} (id {}) polling {}{}",
                            identity.username(),
                            identity.id(),
                            settings.apiBaseUrl(),
                            offset == null ? "" : " from offset " + offset);
                } else {
                    installWebhook();
                    log.info("telegram bot @{} (id {}) receiving by webhook", identity.username(), identity.id());
                    report(State.CONNECTED, "");
                }
                retryDelays.reset();
                return true;
            } catch (TelegramApiException e) {
                if (!onFailure(e, true)) {
                    return false;
                }
            } catch (UnreadableAnswerException e) {
                onUnreadableAnswer(e);
            } catch (IOException e) {
                onNetworkFailure(e);
            } catch (WebhookUnavailableException e) {
                report(State.FAILED, e.getMessage());
                return false;
            }
        }
        return false;
    }

    private void pollLoop() {
        boolean healthy = false;
        while (!isClosed()) {
            ObjectNode params = api.params()
                    // after a failure, a short poll tells at once whether things work again
                    .put("timeout", healthy ? settings.pollTimeout().toSeconds() : 0)
                    .put("limit", 100);
            params.set("allowed_updates", mapper.valueToTree(ALLOWED_UPDATES));
            if (offset != null) {
                params.put("offset", offset);
            }
            UpdatePage page;
            try {
                Call call = api.pollCall(params);
                pollInFlight = call;
                if (isClosed()) {
                    call.cancel();
                }
                page = api.poll(call);
            } catch (TelegramApiException e) {
                healthy = false;
                if (isClosed() || !onFailure(e, false)) {
                    return;
                }
                continue;
            } catch (UnreadableAnswerException e) {
                healthy = false;
                if (!isClosed()) {
                    onUnreadableAnswer(e);
                }
                continue;
            } catch (IOException e) {
                healthy = false;
                if (!isClosed()) {
                    onNetworkFailure(e);
                }
                continue;
            } finally {
                pollInFlight = null;
            }
            if (!deliver(page)) {
                healthy = false;
                pause(retryDelays.next());
            } else if (!healthy) {
                // connected only once a page went through: a page that cannot be confirmed is no recovery
                healthy = true;
                retryDelays.reset();
                report(State.CONNECTED, "");
            }
        }
    }

    /**
     * Hands a page to the gateway (one durable commit for the page) and confirms it. An update that
     * cannot be read is skipped: the offset moves past it with the page and it is reported once the
     * offset is stored. Returns false when the page cannot be confirmed: the gateway could not take
     * it (it comes again, and what was stored of it is deduplicated), or no update of it has a
     * usable {@code update_id} (see {@link #unconfirmable}).
     */
    private boolean deliver(UpdatePage page) {
        Long next = offset;
        List<InboundMessage> messages = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<UpdatePage.Entry> withoutId = new ArrayList<>();
        for (UpdatePage.Entry entry : page.entries()) {
            if (entry.updateId().isEmpty()) {
                withoutId.add(entry);
                continue;
            }
            // an update without a usable id before this one is below this id: confirmed with it
            withoutId.forEach(
                    bad -> skipped.add(bad.name() + ": " + bad.problem().orElse("")));
            withoutId.clear();
            long id = entry.updateId().getAsLong();
            next = Math.max(next == null ? Long.MIN_VALUE : next, id + 1);
            Optional<String> problem = entry.problem();
            JsonNode update = entry.update();
            if (problem.isEmpty() && update != null) {
                try {
                    reader().read(update, context.clock().instant()).ifPresent(messages::add);
                } catch (MalformedUpdateException e) {
                    problem = Optional.of(e.getMessage());
                } catch (RuntimeException e) {
                    // a bug on one update must not stop the account: it would die on it again after a restart
                    problem = Optional.of(
                            "it could not be read (" + api.redaction().describe(e) + ")");
                }
            }
            problem.ifPresent(what -> skipped.add("update " + id + ": " + what));
        }
        boolean advances = next != null && !next.equals(offset);
        if (!advances && !withoutId.isEmpty()) {
            report(State.DEGRADED, unconfirmable(withoutId));
            return false;
        }
        if (!messages.isEmpty()) {
            try {
                inbound.acceptAll(messages);
            } catch (InboundRejectedException e) {
                report(
                        State.DEGRADED,
                        "the gateway could not store incoming messages ("
                                + api.redaction().describe(e) + "); Telegram will deliver them again");
                return false;
            }
        }
        if (next == null || !advances) {
            return true;
        }
        try {
            context.saveCursor(OFFSET_CURSOR, Long.toString(next));
        } catch (UnsupportedOperationException e) {
            // an embedded gateway without a store: the offset lives in memory only
        } catch (RuntimeException e) {
            report(
                    State.DEGRADED,
                    "could not store the Telegram offset (" + api.redaction().describe(e)
                            + "); the batch will be fetched again");
            return false;
        }
        offset = next;
        // reported once confirmed, so a page fetched again does not count its skips twice
        skipped.forEach(status::skipped);
        return true;
    }

    /**
     * Updates at the end of a page without a usable {@code update_id}: no offset can confirm them
     * (an offset is a number above the update's id), so they come again until an update with a
     * usable id follows them, which confirms them and lets them be skipped.
     */
    private static String unconfirmable(List<UpdatePage.Entry> entries) {
        UpdatePage.Entry first = entries.get(0);
        return "getUpdates returned " + entries.size() + " update(s) that cannot be confirmed (" + first.name()
                + ": " + first.problem().orElse("") + "); polling again with backoff, they are skipped"
                + " as soon as an update with a usable update_id follows them";
    }

    /**
     * The confirmed offset of this bot. An offset is a position in one bot's update sequence: when the
     * account's token now belongs to another bot (the config was edited), the old bot's offset would
     * skip the new bot's first updates, so it is dropped.
     */
    private Optional<Long> storedOffset(long botId) {
        Optional<String> ownerBot = context.cursor(BOT_CURSOR);
        if (ownerBot.isEmpty() || !ownerBot.get().equals(Long.toString(botId))) {
            try {
                if (ownerBot.isPresent()) {
                    context.saveCursor(OFFSET_CURSOR, "0"); // first: a crash before the next line resets again
                }
                context.saveCursor(BOT_CURSOR, Long.toString(botId));
            } catch (UnsupportedOperationException e) {
                return Optional.empty(); // an embedded gateway without a store: nothing was stored either
            }
            if (ownerBot.isPresent()) {
                log.info(
                        "the account's token now belongs to bot {} (was {}): starting from its unconfirmed updates",
                        botId,
                        ownerBot.get());
                return Optional.empty();
            }
        }
        Optional<String> stored = context.cursor(OFFSET_CURSOR);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(stored.get()));
        } catch (NumberFormatException e) {
            log.warn("ignoring a stored Telegram offset that is not a number; starting from unconfirmed updates");
            return Optional.empty();
        }
    }

    private UpdateReader reader() {
        return requireNonNull(reader, "an update arrived before the bootstrap");
    }

    private void installWebhook() throws IOException, TelegramApiException, WebhookUnavailableException {
        if (isClosed()) {
            return; // closed while getMe ran: a newer adapter of this account may own the route
        }
        try {
            webhookRoute = context.webhook(new WebhookReceiver(
                    settings.webhookSecret().orElseThrow(),
                    mapper,
                    this::reader,
                    inbound,
                    context.clock(),
                    status::skipped));
        } catch (UnsupportedOperationException e) {
            throw new WebhookUnavailableException("mode = webhook, but this gateway serves no webhook routes"
                    + " (use mode = polling, or run the standard gateway)");
        }
        if (isClosed()) {
            webhookRoute.close(); // closed meanwhile: close() may have looked for the route before it existed
            return;
        }
        ObjectNode params = api.params()
                .put("url", settings.webhookUrl().orElseThrow())
                .put("secret_token", settings.webhookSecret().orElseThrow().reveal());
        params.set("allowed_updates", mapper.valueToTree(ALLOWED_UPDATES));
        api.call("setWebhook", params);
    }

    /**
     * Reports a Bot API error on getMe/getUpdates and waits as it requires. Returns false when the
     * failure is permanent and the worker must stop.
     */
    private boolean onFailure(TelegramApiException e, boolean bootstrapping) {
        int code = e.errorCode();
        if (code == 401) {
            report(
                    State.FAILED,
                    "Telegram rejected the bot token (401 Unauthorized): it was revoked or mistyped;"
                            + " get the current token from @BotFather (/token) and update bot_token");
            return false;
        }
        if (code == 403) {
            report(State.FAILED, "Telegram refused the bot (403 " + e.description() + ")");
            return false;
        }
        if (code == 404 && bootstrapping) {
            report(
                    State.FAILED,
                    "Telegram answered 404 Not Found to " + e.method() + ": check api_base_url ("
                            + settings.apiBaseUrl() + ") and that bot_token is the whole token from @BotFather");
            return false;
        }
        Duration wait;
        if (code == 409) {
            report(
                    State.DEGRADED,
                    "another getUpdates poller or a webhook holds this bot token (409 Conflict: " + e.description()
                            + "); stop the other instance or its webhook, retrying with backoff");
            wait = retryDelays.next();
        } else if (code == 429) {
            Optional<Duration> asked = e.retryAfter().filter(d -> !d.isZero());
            wait = asked.map(TelegramAdapter::capped).orElseGet(retryDelays::next);
            String reason = "Telegram flood control on " + e.method() + " (429): waiting " + wait.toSeconds() + " s"
                    + asked.map(d -> d.compareTo(MAX_RETRY_AFTER) > 0
                                    ? " (retry_after " + d.toSeconds() + " s, capped at " + MAX_RETRY_AFTER.toSeconds()
                                            + " s)"
                                    : " as retry_after asks")
                            .orElse(" (no retry_after given)");
            reportWaiting(reason, wait);
        } else if (e.isServerError()) {
            wait = retryDelays.next();
            report(
                    State.RECONNECTING,
                    "Telegram answered " + code + " to " + e.method() + " (" + e.description() + "); "
                            + retrying(wait));
        } else {
            report(State.DEGRADED, e.method() + " failed: " + code + " " + e.description() + "; retrying");
            wait = retryDelays.next();
        }
        pause(wait);
        return true;
    }

    /** The server answered something that is no Bot API answer: reconnecting would not fix it. */
    private void onUnreadableAnswer(UnreadableAnswerException e) {
        report(State.DEGRADED, api.redaction().redact(e.getMessage()) + "; retrying with backoff");
        pause(retryDelays.next());
    }

    /** {@code retry_after} capped at {@link #MAX_RETRY_AFTER}. */
    static Duration capped(Duration retryAfter) {
        return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }

    private void onNetworkFailure(IOException e) {
        Duration wait = retryDelays.next();
        report(
                State.RECONNECTING,
                "cannot reach Telegram at " + settings.apiBaseUrl() + " ("
                        + api.redaction().describe(e) + "); " + retrying(wait));
        pause(wait);
    }

    /** {@code retrying in 4 s (attempt 3)}: each attempt is one state change, logged once by the gateway. */
    private String retrying(Duration wait) {
        String in = wait.toMillis() < 1000 ? wait.toMillis() + " ms" : Math.round(wait.toMillis() / 1000.0) + " s";
        return "retrying in " + in + " (attempt " + retryDelays.failures() + ")";
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
        String shown = api.redaction().redact(reason);
        switch (state) {
            case CONNECTED -> status.connected();
            case RECONNECTING -> status.reconnecting(shown);
            case DEGRADED -> status.degraded(shown);
            case FAILED -> status.failed(shown, true);
        }
    }

    /** Tells the gateway receiving pauses for {@code wait}, as the platform asked (the gateway logs it). */
    private void reportWaiting(String reason, Duration wait) {
        if (isClosed()) {
            return;
        }
        String shown = api.redaction().redact(reason);
        status.waiting(shown, wait);
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
        List<String> parts = TextSplitter.byUtf16Units(message.text(), TELEGRAM_LIMIT).stream()
                .filter(part -> !part.isBlank())
                .toList();
        if (parts.isEmpty()) {
            throw SendException.permanent("the reply is empty; Telegram does not send empty messages");
        }
        Object chatId = chatId(message.conversationId());
        Optional<Long> thread = message.threadId().flatMap(TelegramAdapter::topicId);
        Optional<Long> replyTo = message.replyToPlatformMessageId().flatMap(TelegramAdapter::messageId);
        int done = deliveredParts.getOrDefault(message.idempotencyKey(), 0);
        for (int i = done; i < parts.size(); i++) {
            ObjectNode params = api.params().put("text", parts.get(i));
            if (chatId instanceof Long id) {
                params.put("chat_id", id);
            } else {
                params.put("chat_id", (String) chatId);
            }
            thread.ifPresent(id -> params.put("message_thread_id", id));
            if (i == 0 && replyTo.isPresent()) {
                // the reply still goes out if the user deleted their message meanwhile
                params.putObject("reply_parameters")
                        .put("message_id", replyTo.get())
                        .put("allow_sending_without_reply", true);
            }
            sendPart(params, message.conversationId());
            if (i + 1 < parts.size()) {
                deliveredParts.put(message.idempotencyKey(), i + 1);
            }
        }
        deliveredParts.remove(message.idempotencyKey());
    }

    private void sendPart(ObjectNode params, String conversationId) {
        try {
            api.call("sendMessage", params);
        } catch (IOException e) {
            throw SendException.retryable(
                    "Telegram sendMessage failed: " + api.redaction().describe(e), null);
        } catch (TelegramApiException e) {
            throw sendFailure(e, conversationId);
        }
    }

    private SendException sendFailure(TelegramApiException e, String conversationId) {
        int code = e.errorCode();
        String what = "Telegram sendMessage to chat " + conversationId + ": " + code + " " + e.description();
        if (code == 429) {
            return SendException.rateLimited(
                    what,
                    e.retryAfter()
                            .filter(d -> !d.isZero())
                            .map(TelegramAdapter::capped)
                            .orElse(Backoff.CHANNEL_RESTART.min()));
        }
        if (e.isServerError()) {
            return SendException.retryable(what, null);
        }
        if (code == 401) {
            report(
                    State.FAILED,
                    "Telegram rejected the bot token (401 Unauthorized) on sendMessage: it was revoked or"
                            + " mistyped; get the current token from @BotFather (/token) and update bot_token");
            // the reply waits in the outbox until the account runs again with a valid token
            return SendException.retryable(what, null);
        }
        if (e.migrateToChatId().isPresent()) {
            long newId = e.migrateToChatId().getAsLong();
            return SendException.permanent("Telegram chat " + conversationId
                    + " was upgraded to a supergroup with the new id " + newId + " (migrate_to_chat_id): add "
                    + newId + " to allowed_chat_ids; the old id receives nothing any more");
        }
        return SendException.permanent(what);
    }

    @Override
    public void typing(String conversationId, Optional<String> threadId) {
        try {
            ObjectNode params = api.params().put("action", "typing");
            if (chatId(conversationId) instanceof Long id) {
                params.put("chat_id", id);
            } else {
                params.put("chat_id", conversationId);
            }
            threadId.flatMap(TelegramAdapter::topicId).ifPresent(id -> params.put("message_thread_id", id));
            api.fireAndForget("sendChatAction", params);
        } catch (RuntimeException e) {
            log.debug("typing indicator not sent: {}", api.redaction().describe(e));
        }
    }

    /** Numeric chat ids go as numbers; {@code @channelusername} targets as strings. */
    private static Object chatId(String conversationId) {
        try {
            return Long.parseLong(conversationId);
        } catch (NumberFormatException e) {
            return conversationId;
        }
    }

    /** A forum topic id; never 1 (the General topic), which Telegram refuses as a message_thread_id. */
    private static Optional<Long> topicId(String threadId) {
        try {
            long id = Long.parseLong(threadId);
            return id > 1 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The message id of {@code <chat_id>:<message_id>}. */
    private static Optional<Long> messageId(String platformMessageId) {
        int colon = platformMessageId.lastIndexOf(':');
        try {
            return Optional.of(Long.parseLong(platformMessageId.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------ lifecycle

    @Override
    public ProbeResult probe() {
        try {
            JsonNode me = api.call("getMe", api.params());
            return ProbeResult.ok("@" + me.path("username").asText("?") + " (bot id "
                    + me.path("id").asLong() + ")");
        } catch (TelegramApiException e) {
            if (e.errorCode() == 401) {
                return ProbeResult.failed("Telegram rejected the bot token (401 Unauthorized)");
            }
            return ProbeResult.failed("getMe: " + e.errorCode() + " " + e.description());
        } catch (IOException e) {
            return ProbeResult.failed("cannot reach Telegram at " + settings.apiBaseUrl() + ": "
                    + api.redaction().describe(e));
        }
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        Call call = pollInFlight;
        if (call != null) {
            call.cancel();
        }
        WebhookRegistration route = webhookRoute;
        if (route != null) {
            // the webhook stays set at Telegram, which keeps the updates until the route is back
            route.close();
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

    /** Webhook mode was asked for, but the gateway cannot serve the route. */
    private static final class WebhookUnavailableException extends Exception {
        WebhookUnavailableException(String message) {
            super(requireNonNull(message, "message is null"));
        }

        /** Never null: the constructor requires a message. */
        @Override
        public String getMessage() {
            return requireNonNull(super.getMessage());
        }
    }
}
