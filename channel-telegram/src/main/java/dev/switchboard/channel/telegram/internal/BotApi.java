package dev.switchboard.channel.telegram.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import org.jspecify.annotations.Nullable;

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

    /** Runs a call and returns its {@code result}. */
    public JsonNode execute(Call call, String method) throws IOException, TelegramApiException {
        try (Response response = call.execute()) {
            String text = text(response);
            return result(method, response, tree(method, text));
        } catch (UnreadableAnswerException e) {
            throw e; // our own message: no URL, no token
        } catch (IOException e) {
            throw new IOException(method + ": " + redaction.describe(e));
        }
    }

    /**
     * Runs a call made by {@link #pollCall} and returns its updates. An answer nested too deep to
     * parse as one tree is cut into its updates, so those that parse are read (see {@link
     * UpdatePage}).
     */
    public UpdatePage poll(Call call) throws IOException, TelegramApiException {
        try (Response response = call.execute()) {
            String text = text(response);
            JsonNode json;
            try {
                json = tree("getUpdates", text);
            } catch (TooDeepException e) {
                return UpdatePage.scan(mapper, text, nestingProblem("it"));
            }
            return UpdatePage.of(result("getUpdates", response, json));
        } catch (UnreadableAnswerException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("getUpdates: " + redaction.describe(e));
        }
    }

    /** What is wrong with JSON nested past the parser's limit, naming the limit. */
    String nestingProblem(String what) {
        return what + " nests JSON deeper than "
                + mapper.getFactory().streamReadConstraints().getMaxNestingDepth()
                + " levels, the JSON parser's limit (StreamReadConstraints.maxNestingDepth)";
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

    /** An answer nested past the parser's limit: a clear error, not "not a Bot API answer". */
    private static final class TooDeepException extends UnreadableAnswerException {
        TooDeepException(String message) {
            super(message);
        }
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

    private static String text(Response response) throws IOException {
        ResponseBody body = response.body();
        return body == null ? "" : body.string();
    }

    /** The answer as a tree; null when it is empty or not JSON. */
    private @Nullable JsonNode tree(String method, String text) throws TooDeepException {
        try {
            return text.isEmpty() ? null : mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new TooDeepException(method + ": the answer" + nestingProblem(""));
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private JsonNode result(String method, Response response, @Nullable JsonNode json)
            throws IOException, TelegramApiException {
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
