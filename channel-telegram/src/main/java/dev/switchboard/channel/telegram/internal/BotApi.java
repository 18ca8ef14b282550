package dev.switchboard.channel.telegram.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.Secret;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The few Bot API calls the channel makes, as JSON POSTs to {@code <api_base_url>/bot<token>/<method>}.
 * Every exception it throws is free of the token: OkHttp's messages can name the URL, so they are
 * rewritten through {@link TokenRedaction} and their causes dropped.
 */
public final class BotApi {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Headroom above the long-poll timeout, so the HTTP read never times out before Telegram answers. */
    private static final Duration POLL_READ_HEADROOM = Duration.ofSeconds(15);

    private final ObjectMapper mapper;
    private final String baseUrl;
    private final Secret token;
    private final OkHttpClient client;
    private final OkHttpClient pollClient;
    private final TokenRedaction redaction;

    public BotApi(ObjectMapper mapper, OkHttpClient shared, String baseUrl, Secret token, Duration pollTimeout) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.token = requireNonNull(token, "token is null");
        this.client = shared.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(30))
                .writeTimeout(Duration.ofSeconds(30))
                .build();
        this.pollClient = client.newBuilder()
                .readTimeout(pollTimeout.plus(POLL_READ_HEADROOM))
                .build();
        this.redaction = new TokenRedaction(token.reveal());
    }

    public TokenRedaction redaction() {
        return redaction;
    }

    public ObjectNode params() {
        return mapper.createObjectNode();
    }

    /** Calls {@code method} and returns its {@code result}. */
    public JsonNode call(String method, ObjectNode params) throws IOException, TelegramApiException {
        return execute(client.newCall(request(method, params)), method);
    }

    /** A long-poll call, prepared but not run, so that {@code close()} can cancel it. */
    public Call pollCall(ObjectNode params) {
        return pollClient.newCall(request("getUpdates", params));
    }

    /** Runs a call made by {@link #pollCall} and returns its {@code result}. */
    public JsonNode execute(Call call, String method) throws IOException, TelegramApiException {
        try (Response response = call.execute()) {
            return parse(method, response);
        } catch (IOException e) {
            throw new IOException(method + ": " + redaction.describe(e));
        }
    }

    /** Sends without waiting and ignores the outcome (the typing indicator is cosmetic). */
    public void fireAndForget(String method, ObjectNode params) {
        client.newCall(request(method, params)).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {}

            @Override
            public void onResponse(Call call, Response response) {
                response.close();
            }
        });
    }

    private Request request(String method, ObjectNode params) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + method + " parameters", e);
        }
        return new Request.Builder()
                .url(baseUrl + "/bot" + token.reveal() + "/" + method)
                .post(RequestBody.create(body, JSON))
                .build();
    }

    private JsonNode parse(String method, Response response) throws IOException, TelegramApiException {
        ResponseBody body = response.body();
        String text = body == null ? "" : body.string();
        JsonNode json;
        try {
            json = text.isEmpty() ? null : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            json = null;
        }
        if (json == null || !json.isObject() || !json.has("ok")) {
            if (response.isSuccessful()) {
                throw new IOException(method + ": HTTP " + response.code() + " with a body that is not a Bot API"
                        + " answer (is api_base_url pointing at a Bot API server?)");
            }
            throw new TelegramApiException(
                    method, response.code(), "HTTP " + response.code() + " " + response.message(), null, null);
        }
        if (json.path("ok").asBoolean(false)) {
            return json.path("result");
        }
        int code = json.path("error_code").asInt(response.code());
        String description = redaction.redact(json.path("description").asText("HTTP " + response.code()));
        JsonNode parameters = json.path("parameters");
        Duration retryAfter = parameters.has("retry_after")
                ? Duration.ofSeconds(Math.max(0, parameters.path("retry_after").asLong()))
                : null;
        Long migrateTo = parameters.has("migrate_to_chat_id")
                ? parameters.path("migrate_to_chat_id").asLong()
                : null;
        throw new TelegramApiException(method, code, description, retryAfter, migrateTo);
    }
}
