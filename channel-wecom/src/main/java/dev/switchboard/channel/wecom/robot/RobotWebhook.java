package dev.switchboard.channel.wecom.robot;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.SendException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The group robot's one endpoint, {@code POST <base_url>/cgi-bin/webhook/send?key=KEY}, and what its answers mean
 * for a send. The key is the credential: it appears in the request URL and nowhere else; every message this class
 * produces shows the URL as {@link #toString()} does, with {@code key=***}.
 */
final class RobotWebhook {
    static final String PATH = "/cgi-bin/webhook/send";
    /** {@code api freq out of limit}: past 20 posts a minute. */
    static final int API_FREQ_OUT_OF_LIMIT = 45009;
    /** {@code invalid webhook url}: an unknown or removed key. */
    static final int INVALID_WEBHOOK_URL = 93000;
    /** {@code system busy}: the platform's transient failure. */
    static final int SYSTEM_BUSY = -1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    /** The platform's answer to one post: {@code errcode} 0 is success. */
    record Answer(int errcode, String errmsg) {
        Answer {
            requireNonNull(errmsg, "errmsg is null");
        }

        boolean ok() {
            return errcode == 0;
        }

        /** {@code errcode 93000: invalid webhook url, hint: [...]}: the platform's words, which never hold the key. */
        String describe() {
            return "errcode " + errcode + ": " + errmsg;
        }
    }

    private final OkHttpClient client;
    private final Secret key;
    private final String baseUrl;

    RobotWebhook(OkHttpClient client, Secret key, String baseUrl) {
        this.client = requireNonNull(client, "client is null")
                .newBuilder()
                .callTimeout(CALL_TIMEOUT)
                .build();
        this.key = requireNonNull(key, "key is null");
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
    }

    /** {@code {"msgtype":type,type:{"content":content}}}: a text or markdown message. */
    static ObjectNode message(WeComRobotSettings.MsgType type, String content) {
        ObjectNode body = JSON.createObjectNode();
        body.put("msgtype", type.wireName());
        body.putObject(type.wireName()).put("content", content);
        return body;
    }

    /**
     * Posts {@code body} and reads the platform's answer.
     *
     * @throws SendException retryable for a network failure or a 5xx / 429; permanent for another HTTP status
     *     or an answer that is not the platform's JSON (a wrong {@code base_url})
     */
    Answer post(ObjectNode body) {
        Request request = new Request.Builder()
                .url(baseUrl + PATH + "?key=" + URLEncoder.encode(key.reveal(), StandardCharsets.UTF_8))
                .post(RequestBody.create(body.toString(), JSON_TYPE))
                .build();
        try (Response response = client.newCall(request).execute()) {
            int status = response.code();
            if (status == 429 || status >= 500) {
                throw SendException.retryable("HTTP " + status + " from " + this, null);
            }
            if (status != 200) {
                throw SendException.permanent("HTTP " + status + " from " + this + " (expected: 200; is "
                        + WeComRobotSettings.BASE_URL + " right?)");
            }
            ResponseBody responseBody = response.body();
            String text = responseBody == null ? "" : responseBody.string();
            return parse(text);
        } catch (IOException e) {
            // OkHttp's messages name the host at most, never the query; redacted all the same
            throw SendException.retryable(redact("cannot reach " + this + ": " + e), null);
        }
    }

    private Answer parse(String text) {
        JsonNode answer;
        try {
            answer = JSON.readTree(text);
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.path("errcode").isInt()) {
            throw SendException.permanent("the answer from " + this + " is not the group robot's {errcode, errmsg}"
                    + " (expected: JSON; is " + WeComRobotSettings.BASE_URL + " right?)");
        }
        return new Answer(
                answer.get("errcode").asInt(), redact(answer.path("errmsg").asText("")));
    }

    private String redact(String text) {
        String secret = key.reveal();
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        String result = text;
        if (!secret.isEmpty()) {
            result = result.replace(secret, "***");
        }
        if (!encoded.isEmpty()) {
            result = result.replace(encoded, "***");
        }
        return result;
    }

    /** The webhook URL without its key: {@code https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***}. */
    @Override
    public String toString() {
        return baseUrl + PATH + "?key=***";
    }
}
