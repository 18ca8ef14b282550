package com.example.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Relay's HTTP API, as this channel uses it. Every call carries {@code Authorization: Bearer <token>}
 * and answers {@code {"ok": true, ...}} or {@code {"ok": false, "error": "...", "retry_after": s}}.
 *
 * <ul>
 *   <li>{@code GET /v1/me}: the bot's {@code name}.
 *   <li>{@code GET /v1/events?after=<cursor>&wait=<s>}: the {@code events} after the cursor, held up to
 *       {@code wait} seconds while there are none, and {@code next}, the cursor to ask with next time.
 *   <li>{@code POST /v1/chats/<chat>/messages} {@code {text, reply_to, thread, client_id}}: Relay
 *       keeps the first message per {@code client_id} and answers a repeat with it, so a retried send
 *       never shows twice.
 * </ul>
 */
final class RelayApi {
    private static final MediaType JSON = MediaType.get("application/json");

    private final ObjectMapper mapper = new ObjectMapper();
    private final OkHttpClient http;
    private final HttpUrl base;
    private final String authorization;
    /** The poll in flight, so {@link #cancelPoll()} can end it from another thread at close. */
    private final AtomicReference<Call> poll = new AtomicReference<>();

    RelayApi(OkHttpClient shared, RelaySettings settings) {
        // derived from the gateway's client: shared pool and dispatcher, no threads of our own to leak
        this.http = shared.newBuilder()
                .readTimeout(settings.pollWait().plusSeconds(10))
                .build();
        this.base = HttpUrl.get(settings.baseUrl());
        this.authorization = "Bearer " + settings.token().reveal();
    }

    /** Relay's answer to a call it refused; {@code status} is the HTTP status. */
    static final class RelayException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;
        final Optional<Duration> retryAfter;

        RelayException(int status, String error, Optional<Duration> retryAfter) {
            super("HTTP " + status + ": " + error);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        boolean serverSide() {
            return status >= 500;
        }
    }

    /** A page of the event feed: the raw events (checked one by one by the caller) and the next cursor. */
    record Page(JsonNode events, long next) {}

    String me() throws IOException {
        return execute(new Request.Builder().url(url("v1", "me").build()).get())
                .path("name")
                .asText("?");
    }

    Page events(long after, Duration wait) throws IOException {
        HttpUrl url = url("v1", "events")
                .addQueryParameter("after", Long.toString(after))
                .addQueryParameter("wait", Long.toString(wait.toSeconds()))
                .build();
        JsonNode body = execute(new Request.Builder().url(url).get());
        JsonNode next = body.path("next");
        if (!next.canConvertToLong() || !next.isIntegralNumber() || next.asLong() < after) {
            throw new IOException("Relay's event page has no usable next cursor (got " + next + " after " + after + ")");
        }
        JsonNode events = body.path("events");
        return new Page(events.isArray() ? events : mapper.createArrayNode(), next.asLong());
    }

    void post(String chat, String text, Optional<String> replyTo, Optional<String> thread, String clientId)
            throws IOException {
        ObjectNode message = mapper.createObjectNode().put("text", text).put("client_id", clientId);
        replyTo.ifPresent(id -> message.put("reply_to", id));
        thread.ifPresent(id -> message.put("thread", id));
        execute(new Request.Builder()
                .url(url("v1", "chats", chat, "messages").build())
                .post(RequestBody.create(mapper.writeValueAsBytes(message), JSON)));
    }

    void cancelPoll() {
        Call call = poll.get();
        if (call != null) {
            call.cancel();
        }
    }

    private HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder url = base.newBuilder();
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url;
    }

    private JsonNode execute(Request.Builder request) throws IOException {
        Call call = http.newCall(request.header("Authorization", authorization).build());
        boolean isPoll = call.request().url().encodedPath().endsWith("/events");
        if (isPoll) {
            poll.set(call);
        }
        try (Response response = call.execute()) {
            JsonNode body = parse(response.body());
            if (response.isSuccessful() && body.path("ok").asBoolean(false)) {
                return body;
            }
            if (response.isSuccessful()) {
                throw new IOException("Relay answered HTTP " + response.code() + " without {\"ok\": true}");
            }
            Optional<Duration> retryAfter = body.path("retry_after").canConvertToLong()
                    ? Optional.of(Duration.ofSeconds(Math.max(0, body.path("retry_after").asLong())))
                    : Optional.empty();
            throw new RelayException(response.code(), body.path("error").asText("no error message"), retryAfter);
        } finally {
            if (isPoll) {
                poll.compareAndSet(call, null);
            }
        }
    }

    /** The body as JSON; a missing node when it is not JSON (a proxy's error page, a truncated answer). */
    private JsonNode parse(ResponseBody body) throws IOException {
        try {
            JsonNode tree = mapper.readTree(body.byteStream());
            return tree == null ? MissingNode.getInstance() : tree;
        } catch (JsonProcessingException e) {
            // never echo the body: it may carry user text
            return MissingNode.getInstance();
        }
    }
}
