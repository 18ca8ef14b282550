package com.example.relay;

import com.example.relay.RelayApi.Page;
import com.example.relay.RelayApi.RelayException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One Relay bot account: a poller thread of its own reads the event feed and hands each page to the
 * gateway; replies go out on the gateway's thread in {@link #send}.
 *
 * <p>Delivery: the cursor is saved only after {@link dev.switchboard.spi.InboundSink#acceptAll}
 * returned, so a crash or a refused accept means Relay delivers the page again, and the gateway's
 * dedup (on the event id) answers it once.
 */
final class RelayAdapter implements ChannelAdapter {
    private static final Logger log = LoggerFactory.getLogger(RelayAdapter.class);
    static final String CURSOR = "after";
    /** Relay refuses longer texts; replies are split below it. */
    static final int MAX_TEXT = 2000;
    /** A platform's retry_after beyond this is a bug on one side, not a reason to stop for good. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final ChannelContext context;
    private final StatusReporter status;
    private final RelaySettings settings;
    private final RelayApi api;
    private volatile boolean closed;
    private volatile Thread poller;

    RelayAdapter(ChannelContext context, RelaySettings settings) {
        this.context = context;
        this.status = context.status();
        this.settings = settings;
        this.api = new RelayApi(context.httpClient(), settings);
    }

    @Override
    public void start() {
        // no I/O here: the poller connects, so a slow Relay never holds up the gateway
        Thread thread = new Thread(this::pollLoop, "relay-poller-" + context.settings().accountId());
        thread.setDaemon(true);
        poller = thread;
        thread.start();
    }

    private void pollLoop() {
        MDC.put("channel", context.settings().channelId());
        MDC.put("account", context.settings().accountId());
        Backoff.Retries retries = Backoff.CHANNEL_RESTART.retries();
        long cursor = context.cursor(CURSOR).map(Long::parseLong).orElse(0L);
        boolean connected = false;
        while (!closed) {
            try {
                Page page = api.events(cursor, settings.pollWait());
                if (!connected) {
                    status.connected();
                    connected = true;
                }
                retries.reset();
                context.inbound().acceptAll(messages(page.events()));
                if (page.next() != cursor) {
                    cursor = page.next();
                    context.saveCursor(CURSOR, Long.toString(cursor)); // only now: the page is durable
                }
            } catch (InboundRejectedException e) {
                // the gateway could not store the page: keep the cursor, so Relay delivers it again
                connected = false;
                status.degraded("the gateway could not take a page of events: " + e.getMessage());
                pause(retries.next());
            } catch (RelayException e) {
                if (closed) {
                    break;
                }
                connected = false;
                if (e.status == 401 || e.status == 403) {
                    status.failed("Relay refused the token (" + e.getMessage() + ")", true);
                    return;
                }
                if (e.status == 429) {
                    Duration wait = e.retryAfter.orElse(Duration.ofSeconds(1));
                    wait = wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
                    status.waiting("Relay rate-limited the event feed", wait);
                    pause(wait);
                } else {
                    status.reconnecting("event feed: " + e.getMessage());
                    pause(retries.next());
                }
            } catch (IOException e) {
                if (closed) {
                    break;
                }
                connected = false;
                status.reconnecting("event feed: " + e.getMessage());
                pause(retries.next());
            }
        }
        MDC.clear();
    }

    /** The page's events as messages; one that is malformed is skipped (and reported), never fatal. */
    private List<InboundMessage> messages(JsonNode events) {
        List<InboundMessage> messages = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            String id = event.path("id").asText("");
            String chat = event.path("chat").asText("");
            String from = event.path("from").asText("");
            JsonNode text = event.path("text");
            if (id.isBlank() || chat.isBlank() || from.isBlank() || !text.isTextual()) {
                // names the event, never its content; the cursor moves past it with the page
                status.skipped("event " + (id.isBlank() ? "without an id" : id)
                        + ": expected id, chat, from and a text string");
                continue;
            }
            messages.add(new InboundMessage(
                    context.settings().channelId(),
                    context.settings().accountId(),
                    chat,
                    Optional.ofNullable(event.path("thread").textValue()),
                    from,
                    id,
                    text.textValue(),
                    context.clock().instant()));
        }
        return messages;
    }

    private void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() interrupts: the loop sees `closed`
            closed = true;
        }
    }

    @Override
    public void send(OutboundMessage message) {
        List<String> parts = TextSplitter.byUtf16Units(message.text(), MAX_TEXT);
        for (int i = 0; i < parts.size(); i++) {
            // one client_id per part: a retry of the whole reply re-posts every part, and Relay keeps
            // only the first of each, so no part shows twice and none is lost
            String clientId = message.idempotencyKey() + "#" + i;
            try {
                api.post(
                        message.conversationId(),
                        parts.get(i),
                        i == 0 ? message.replyToPlatformMessageId() : Optional.empty(),
                        message.threadId(),
                        clientId);
            } catch (RelayException e) {
                if (e.status == 429) {
                    throw SendException.rateLimited(
                            "Relay rate-limited the send", e.retryAfter.orElse(Duration.ofSeconds(1)));
                }
                if (e.serverSide()) {
                    throw SendException.retryable("Relay failed the send: " + e.getMessage(), e);
                }
                throw SendException.permanent("Relay refused the send: " + e.getMessage());
            } catch (IOException e) {
                throw SendException.retryable("Relay could not be reached: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public ProbeResult probe() {
        try {
            return ProbeResult.ok("bot " + api.me());
        } catch (IOException e) {
            return ProbeResult.failed(e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        api.cancelPoll();
        Thread thread = poller;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("the Relay poller did not stop within 5 s");
            }
        }
    }
}
