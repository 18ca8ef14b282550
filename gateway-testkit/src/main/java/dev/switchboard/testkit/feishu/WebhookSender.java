package dev.switchboard.testkit.feishu;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sends webhook requests to a URL the way the open platform does in webhook mode: {@code url_verification}
 * challenges and event envelopes, encrypted ({@code {"encrypt": ...}}) and signed ({@code X-Lark-Request-Timestamp},
 * {@code X-Lark-Request-Nonce}, {@code X-Lark-Signature}) when an Encrypt Key is set, plaintext otherwise; the
 * Verification Token in the envelope. The {@code with...} methods return a sender that breaks one of these, for
 * tests that a receiver refuses what it must. Immutable.
 */
public final class WebhookSender {
    private final HttpClient client;
    private final URI url;
    private final String verificationToken;
    private final Optional<String> encryptKey;
    private final boolean tamperSignature;
    private final Optional<Instant> timestamp;

    WebhookSender(HttpClient client, URI url, String verificationToken, Optional<String> encryptKey) {
        this(client, url, verificationToken, encryptKey, false, Optional.empty());
    }

    private WebhookSender(
            HttpClient client,
            URI url,
            String verificationToken,
            Optional<String> encryptKey,
            boolean tamperSignature,
            Optional<Instant> timestamp) {
        this.client = requireNonNull(client, "client is null");
        this.url = requireNonNull(url, "url is null");
        this.verificationToken = requireNonNull(verificationToken, "verificationToken is null");
        this.encryptKey = requireNonNull(encryptKey, "encryptKey is null");
        this.tamperSignature = tamperSignature;
        this.timestamp = requireNonNull(timestamp, "timestamp is null");
    }

    /** A sender whose {@code X-Lark-Signature} does not match the body (one hex digit changed). */
    public WebhookSender withTamperedSignature() {
        return new WebhookSender(client, url, verificationToken, encryptKey, true, timestamp);
    }

    /** A sender that puts {@code token} in envelopes instead of the app's Verification Token. */
    public WebhookSender withVerificationToken(String token) {
        return new WebhookSender(client, url, token, encryptKey, tamperSignature, timestamp);
    }

    /** A sender that encrypts and signs with {@code key}, or sends plaintext when empty. */
    public WebhookSender withEncryptKey(Optional<String> key) {
        return new WebhookSender(client, url, verificationToken, key, tamperSignature, timestamp);
    }

    /** A sender whose {@code X-Lark-Request-Timestamp} is {@code at} (e.g. an old one, as in a replay). */
    public WebhookSender withTimestamp(Instant at) {
        return new WebhookSender(client, url, verificationToken, encryptKey, tamperSignature, Optional.of(at));
    }

    /** The result of a {@code url_verification} request. */
    public record UrlVerification(String challenge, WebhookResponse response) {
        /** Whether the answer was HTTP 200 with {@code {"challenge": <the same challenge>}}. */
        public boolean passed() {
            if (response.status() != 200) {
                return false;
            }
            try {
                JsonNode answer = HttpCall.JSON.readTree(response.body());
                return answer != null
                        && challenge.equals(answer.path("challenge").asText(null));
            } catch (IOException e) {
                return false;
            }
        }
    }

    /**
     * Sends {@code {"challenge","token","type":"url_verification"}}, encrypted when an Encrypt Key is set and
     * never signed (the platform signs events only).
     */
    public UrlVerification urlVerification() {
        String challenge = Ids.hex(16);
        ObjectNode body = HttpCall.JSON.createObjectNode();
        body.put("challenge", challenge);
        body.put("token", verificationToken);
        body.put("type", "url_verification");
        return new UrlVerification(challenge, send(body.toString(), false));
    }

    /** POSTs {@code message}'s event envelope, with this sender's Verification Token in {@code header.token}. */
    public WebhookResponse deliver(UserMessage message) {
        requireNonNull(message, "message is null");
        return post(message.envelope());
    }

    /** POSTs an event envelope (schema 2.0), with this sender's Verification Token in {@code header.token}. */
    public WebhookResponse post(String envelopeJson) {
        requireNonNull(envelopeJson, "envelopeJson is null");
        ObjectNode envelope;
        try {
            envelope = (ObjectNode) HttpCall.JSON.readTree(envelopeJson);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("envelopeJson is not a JSON object", e);
        }
        if (envelope.path("header").isObject()) {
            ((ObjectNode) envelope.get("header")).put("token", verificationToken);
        } else {
            envelope.put("token", verificationToken);
        }
        return send(envelope.toString(), true);
    }

    private WebhookResponse send(String json, boolean signed) {
        String body = json;
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Switchboard-FakeFeishu");
        if (encryptKey.isPresent()) {
            String key = encryptKey.get();
            body = HttpCall.JSON
                    .createObjectNode()
                    .put("encrypt", WebhookCodec.encrypt(json, key))
                    .toString();
            if (signed) {
                String time = Long.toString(timestamp.orElseGet(Instant::now).getEpochSecond());
                String nonce = Ids.hex(8);
                String signature = WebhookCodec.signature(time, nonce, key, body);
                if (tamperSignature) {
                    signature = (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
                }
                request.header("X-Lark-Request-Timestamp", time)
                        .header("X-Lark-Request-Nonce", nonce)
                        .header("X-Lark-Signature", signature);
            }
        }
        try {
            HttpResponse<String> response = client.send(
                    request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new WebhookResponse(response.statusCode(), response.body());
        } catch (IOException e) {
            return new WebhookResponse(-1, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WebhookResponse(-1, "interrupted");
        }
    }
}
