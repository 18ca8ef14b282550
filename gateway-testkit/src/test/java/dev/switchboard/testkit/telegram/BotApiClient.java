package dev.switchboard.testkit.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A plain HTTP client for the fake's Bot API, as a channel would use it. */
final class BotApiClient implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    record Answer(int status, JsonNode body) {
        JsonNode result() {
            return body.path("result");
        }
    }

    private final String base;
    private final OkHttpClient client = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(90))
            .retryOnConnectionFailure(false)
            .build();

    BotApiClient(FakeTelegram telegram, String token) {
        this.base = telegram.apiBaseUrl() + "/bot" + token + "/";
    }

    /** POSTs {@code json} (an object's text) to {@code method}. */
    Answer json(String method, String json) throws IOException {
        return execute(new Request.Builder()
                .url(base + method)
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .build());
    }

    Answer json(String method, Map<String, ?> params) throws IOException {
        return json(method, MAPPER.writeValueAsString(params));
    }

    Answer form(String method, Map<String, String> params) throws IOException {
        FormBody.Builder form = new FormBody.Builder();
        params.forEach(form::add);
        return execute(
                new Request.Builder().url(base + method).post(form.build()).build());
    }

    Answer get(String pathAndQuery) throws IOException {
        return execute(new Request.Builder().url(base + pathAndQuery).get().build());
    }

    /** {@code getUpdates} with {@code params}, its body as text (a poison page need not parse). */
    String rawGetUpdates(Map<String, ?> params) throws IOException {
        Request request = new Request.Builder()
                .url(base + "getUpdates")
                .post(RequestBody.create(MAPPER.writeValueAsString(params), MediaType.get("application/json")))
                .build();
        try (Response response = client.newCall(request).execute()) {
            return response.body().string();
        }
    }

    Answer execute(Request request) throws IOException {
        try (Response response = client.newCall(request).execute()) {
            return new Answer(response.code(), MAPPER.readTree(response.body().string()));
        }
    }

    /** The same request on another thread (for long polls). */
    CompletableFuture<Answer> jsonAsync(String method, Map<String, ?> params) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return json(method, params);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
