package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * The open platform's REST calls: the tenant access token (cached; fetched again when under 30 minutes of its
 * life are left, which is when the platform hands out a new one, and once more on a token error), bot info,
 * reply and send, and the long connection's endpoint. No exception it throws carries the app secret or a token.
 */
public final class OpenApi {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** The platform returns the same token while at least this much of its life is left. */
    static final Duration REFRESH_WITHIN = Duration.ofMinutes(30);
    /** Bootstrap codes that mean "try again later"; every other non-zero code is a client (credential) error. */
    private static final Set<Integer> ENDPOINT_RETRYABLE = Set.of(1, 1000040343);

    private final ObjectMapper mapper;
    private final OkHttpClient client;
    private final String baseUrl;
    private final Secret appId;
    private final Secret appSecret;
    private final Clock clock;
    private final Object tokenLock = new Object();
    private @Nullable Secret token;
    private Instant tokenExpires = Instant.MIN;

    public OpenApi(
            ObjectMapper mapper, OkHttpClient client, String baseUrl, Secret appId, Secret appSecret, Clock clock) {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.client = requireNonNull(client, "client is null");
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.appId = requireNonNull(appId, "appId is null");
        this.appSecret = requireNonNull(appSecret, "appSecret is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The long connection's URL and the server's ClientConfig. */
    public record Endpoint(URI url, int serviceId, ClientConfig config) {
        public Endpoint {
            requireNonNull(url, "url is null");
            requireNonNull(config, "config is null");
        }
    }

    /** The bootstrap failed in a way that may pass: system busy, an internal error, an HTTP error. */
    public static final class EndpointUnavailableException extends Exception {
        EndpointUnavailableException(String message) {
            super(message);
        }
    }

    // --------------------------------------------------------------------------------- token

    /** The cached tenant access token, fetched when missing or near its end. */
    Secret token() throws IOException, FeishuApiException, CredentialsRejectedException {
        synchronized (tokenLock) {
            Secret current = token;
            if (current != null && clock.instant().isBefore(tokenExpires.minus(REFRESH_WITHIN))) {
                return current;
            }
            ObjectNode body =
                    mapper.createObjectNode().put("app_id", appId.reveal()).put("app_secret", appSecret.reveal());
            JsonNode answer;
            try {
                answer = post("/open-apis/auth/v3/tenant_access_token/internal", body, null, "tenant_access_token");
            } catch (FeishuApiException e) {
                if (e.isServerError() || e.isRateLimited() || e.code() == 0) {
                    throw e;
                }
                throw new CredentialsRejectedException("the platform refused the app's credentials (" + e.code() + " "
                        + e.platformMessage() + "): check app_id, app_secret and domain (" + baseUrl + ")");
            }
            String value = answer.path("tenant_access_token").asText("");
            if (value.isEmpty()) {
                throw new FeishuApiException("tenant_access_token", 200, 0, "the answer carries no token", null);
            }
            Secret fresh = Secret.of(value);
            token = fresh;
            tokenExpires = clock.instant()
                    .plusSeconds(Math.max(0, answer.path("expire").asLong(0)));
            return fresh;
        }
    }

    private void forgetToken(Secret stale) {
        synchronized (tokenLock) {
            if (stale.equals(token)) {
                token = null;
            }
        }
    }

    // ---------------------------------------------------------------------------------- calls

    /** The bot's open_id and name from {@code /open-apis/bot/v3/info}. */
    public record BotInfo(String openId, String name) {}

    public BotInfo botInfo() throws IOException, FeishuApiException, CredentialsRejectedException {
        JsonNode answer = withToken(token -> get("/open-apis/bot/v3/info", token, "bot info"));
        JsonNode bot = answer.path("bot");
        String openId = bot.path("open_id").asText("");
        if (openId.isEmpty()) {
            throw new FeishuApiException("bot info", 200, 0, "the answer carries no bot open_id", null);
        }
        return new BotInfo(openId, bot.path("app_name").asText(""));
    }

    /** Replies to {@code messageId} with a text message; returns the new message's id. */
    public String reply(String messageId, String text, boolean inThread, String uuid)
            throws IOException, FeishuApiException, CredentialsRejectedException {
        ObjectNode body = textBody(text, uuid).put("reply_in_thread", inThread);
        String path = "/open-apis/im/v1/messages/"
                + HttpUrl.get("http://x/")
                        .newBuilder()
                        .addPathSegment(messageId)
                        .build()
                        .encodedPath()
                        .substring(1) + "/reply";
        return withToken(token -> post(path, body, token, "reply"))
                .path("data")
                .path("message_id")
                .asText("");
    }

    /** Sends a text message to chat {@code chatId}; returns the new message's id. */
    public String send(String chatId, String text, String uuid)
            throws IOException, FeishuApiException, CredentialsRejectedException {
        ObjectNode body = textBody(text, uuid).put("receive_id", chatId);
        return withToken(token -> post("/open-apis/im/v1/messages?receive_id_type=chat_id", body, token, "send"))
                .path("data")
                .path("message_id")
                .asText("");
    }

    private ObjectNode textBody(String text, String uuid) {
        String content;
        try {
            content = mapper.writeValueAsString(mapper.createObjectNode().put("text", text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a text", e); // a string always encodes
        }
        return mapper.createObjectNode()
                .put("msg_type", "text")
                .put("content", content)
                .put("uuid", uuid);
    }

    /** {@code POST /callback/ws/endpoint}: where to open the long connection. */
    public Endpoint endpoint() throws IOException, CredentialsRejectedException, EndpointUnavailableException {
        ObjectNode body = mapper.createObjectNode().put("AppID", appId.reveal()).put("AppSecret", appSecret.reveal());
        Request request = new Request.Builder()
                .url(baseUrl + "/callback/ws/endpoint")
                .header("locale", "zh")
                .post(RequestBody.create(json(body), JSON))
                .build();
        try (Response response = client.newCall(request).execute()) {
            String text = text(response);
            if (!response.isSuccessful()) {
                throw new EndpointUnavailableException(
                        "the long connection's endpoint answered HTTP " + response.code());
            }
            JsonNode answer = tree(text);
            if (answer == null || !answer.path("code").isNumber()) {
                throw new EndpointUnavailableException("the long connection's endpoint answered something that is not"
                        + " a platform answer (HTTP " + response.code() + ")");
            }
            int code = answer.path("code").asInt();
            String msg = answer.path("msg").asText("");
            if (ENDPOINT_RETRYABLE.contains(code)) {
                throw new EndpointUnavailableException("the long connection's endpoint answered " + code + " " + msg);
            }
            if (code != 0) {
                throw new CredentialsRejectedException("the platform refused the long connection for this app ("
                        + code + " " + msg + "): check app_id, app_secret and domain (" + baseUrl
                        + "), and that the app is a custom app with events by long connection");
            }
            JsonNode data = answer.path("data");
            String url = data.path("URL").asText("");
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new EndpointUnavailableException("the long connection's endpoint returned no usable URL");
            }
            if (url.isEmpty() || uri.getScheme() == null) {
                throw new EndpointUnavailableException("the long connection's endpoint returned no usable URL");
            }
            HttpUrl parsed = HttpUrl.parse(url.replaceFirst("^ws", "http"));
            int serviceId = 0;
            if (parsed != null) {
                try {
                    serviceId = Integer.parseInt(requireNonNull(parsed.queryParameter("service_id"), "service_id"));
                } catch (RuntimeException e) {
                    serviceId = 0;
                }
            }
            return new Endpoint(uri, serviceId, ClientConfig.from(data.path("ClientConfig"), ClientConfig.DEFAULT));
        }
    }

    // -------------------------------------------------------------------------------- plumbing

    private interface TokenCall {
        JsonNode call(Secret token) throws IOException, FeishuApiException;
    }

    /** Runs {@code call} with the token; on a token error, fetches a new token and runs it once more. */
    private JsonNode withToken(TokenCall call) throws IOException, FeishuApiException, CredentialsRejectedException {
        Secret current = token();
        try {
            return call.call(current);
        } catch (FeishuApiException e) {
            if (!e.isTokenError()) {
                throw e;
            }
            forgetToken(current);
            return call.call(token());
        }
    }

    private JsonNode post(String path, ObjectNode body, @Nullable Secret bearer, String call)
            throws IOException, FeishuApiException {
        Request.Builder request = new Request.Builder().url(baseUrl + path).post(RequestBody.create(json(body), JSON));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer.reveal());
        }
        return execute(request.build(), call);
    }

    private JsonNode get(String path, Secret bearer, String call) throws IOException, FeishuApiException {
        return execute(
                new Request.Builder()
                        .url(baseUrl + path)
                        .header("Authorization", "Bearer " + bearer.reveal())
                        .build(),
                call);
    }

    private JsonNode execute(Request request, String call) throws IOException, FeishuApiException {
        try (Response response = client.newCall(request).execute()) {
            String text = text(response);
            JsonNode answer = tree(text);
            Duration reset = reset(response);
            if (answer == null || !answer.path("code").isNumber()) {
                if (response.isSuccessful()) {
                    throw new FeishuApiException(call, response.code(), 0, "the answer is not a platform answer", null);
                }
                throw new FeishuApiException(call, response.code(), 0, "no platform answer", reset);
            }
            int code = answer.path("code").asInt();
            if (code != 0 || !response.isSuccessful()) {
                throw new FeishuApiException(
                        call, response.code(), code, answer.path("msg").asText(""), reset);
            }
            return answer;
        } catch (IOException e) {
            // OkHttp's messages name the URL, which carries no secret here; the cause is dropped all the same
            throw new IOException(call + ": " + describe(e));
        }
    }

    private static @Nullable Duration reset(Response response) {
        String header = response.header("x-ogw-ratelimit-reset");
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String json(ObjectNode body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a request", e);
        }
    }

    private static String text(Response response) throws IOException {
        ResponseBody body = response.body();
        return body == null ? "" : body.string();
    }

    private @Nullable JsonNode tree(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A one-line description of a failure: its message, or its type when it has none. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
