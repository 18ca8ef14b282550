package dev.switchboard.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ProbeResult;
import dev.switchboard.spi.SendException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Polls {@link FakePollingPlatform} the way the Telegram adapter polls {@code getUpdates}: one thread
 * long-polls {@code GET /updates?offset=N}, hands every message of a batch to the inbound sink, and
 * only after the whole batch was accepted stores the next offset as its cursor, so a crash
 * mid-batch makes the platform deliver the rest (and the accepted ones, as duplicates) again.
 */
final class CrashChatAdapter implements ChannelAdapter {
    static final String CURSOR = "offset";
    private static final int POLL_TIMEOUT_SECONDS = 2;
    private static final Duration ERROR_PAUSE = Duration.ofMillis(200);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChannelContext context;
    private final HttpUrl base;
    private final OkHttpClient http;
    private final Thread poller;
    private volatile Call currentPoll;
    private volatile boolean closed;

    CrashChatAdapter(ChannelContext context) {
        this.context = context;
        this.base = HttpUrl.get(context.settings().string("base_url", ""));
        this.http = context.httpClient()
                .newBuilder()
                .readTimeout(Duration.ofSeconds(POLL_TIMEOUT_SECONDS + 10))
                .build();
        this.poller = new Thread(
                this::pollLoop, "crashchat-poll-" + context.settings().accountId());
        this.poller.setDaemon(true);
    }

    @Override
    public void start() {
        poller.start();
    }

    private void pollLoop() {
        long offset = context.cursor(CURSOR).map(Long::parseLong).orElse(0L);
        boolean connected = false;
        while (!closed) {
            try {
                JsonNode batch = poll(offset);
                if (!connected) {
                    context.status().connected();
                    connected = true;
                }
                if (batch.isEmpty()) {
                    continue;
                }
                for (JsonNode message : batch) {
                    context.inbound().accept(inbound(message));
                }
                offset = batch.get(batch.size() - 1).get("id").asLong() + 1;
                context.saveCursor(CURSOR, Long.toString(offset));
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                // not acknowledged: the same batch comes again after the pause
                context.status().reconnecting(e.getMessage() == null ? e.toString() : e.getMessage());
                connected = false;
                try {
                    Thread.sleep(ERROR_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private JsonNode poll(long offset) throws IOException {
        HttpUrl url = base.newBuilder()
                .addPathSegment("updates")
                .addQueryParameter("offset", Long.toString(offset))
                .addQueryParameter("timeout", Integer.toString(POLL_TIMEOUT_SECONDS))
                .build();
        Call call = http.newCall(new Request.Builder().url(url).build());
        currentPoll = call;
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("GET /updates: HTTP " + response.code());
            }
            return JSON.readTree(response.body().string()).get("messages");
        }
    }

    private InboundMessage inbound(JsonNode message) {
        String conversation = message.get("conversation").asText();
        return new InboundMessage(
                CrashChatProvider.ID,
                context.settings().accountId(),
                conversation,
                Optional.empty(),
                "user-" + conversation,
                message.get("id").asText(),
                message.get("text").asText(),
                context.clock().instant());
    }

    @Override
    public void send(OutboundMessage message) {
        ObjectNode body = JSON.createObjectNode()
                .put("conversation", message.conversationId())
                .put("replyTo", message.replyToPlatformMessageId().orElse(null))
                .put("text", message.text());
        Request request = new Request.Builder()
                .url(base.newBuilder().addPathSegment("send").build())
                .post(RequestBody.create(body.toString(), JSON_TYPE))
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw SendException.retryable("POST /send: HTTP " + response.code(), null);
            }
        } catch (IOException e) {
            throw SendException.retryable("POST /send: " + e.getMessage(), e);
        }
    }

    @Override
    public ProbeResult probe() {
        return ProbeResult.ok("crash chat platform at " + base);
    }

    @Override
    public void close() {
        closed = true;
        Call call = currentPoll;
        if (call != null) {
            call.cancel();
        }
        poller.interrupt();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
