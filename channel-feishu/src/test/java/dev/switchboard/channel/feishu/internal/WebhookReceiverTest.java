package dev.switchboard.channel.feishu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.WebhookRequest;
import dev.switchboard.spi.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The receiver on its own, with requests built here the way the platform builds them (the webhook ITs drive it
 * through a real gateway with the fake's sender).
 */
class WebhookReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "vt-Token-0123456789";
    private static final String KEY = "ek-Key-abcdefghij";
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String BOT = "ou_bot";

    private final List<InboundMessage> accepted = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private boolean storeDown;
    private final InboundSink sink = message -> {
        if (storeDown) {
            throw new InboundRejectedException("store unavailable", new java.io.IOException("disk full"));
        }
        accepted.add(message);
        return InboundSink.Result.ACCEPTED;
    };

    private WebhookReceiver receiver(Optional<String> encryptKey) {
        return new WebhookReceiver(
                Optional.of(Secret.of(TOKEN)),
                encryptKey.map(Secret::of),
                new MessageEvents("feishu", "work", true, () -> BOT),
                sink,
                Clock.fixed(NOW, ZoneOffset.UTC),
                skipped::add);
    }

    private static String event(String token, String messageId) {
        ObjectNode envelope = JSON.createObjectNode().put("schema", "2.0");
        envelope.putObject("header")
                .put("event_id", "ev_" + messageId)
                .put("event_type", "im.message.receive_v1")
                .put("token", token);
        ObjectNode event = envelope.putObject("event");
        event.putObject("sender")
                .put("sender_type", "user")
                .putObject("sender_id")
                .put("open_id", "ou_alice");
        event.putObject("message")
                .put("message_id", messageId)
                .put("chat_id", "oc_chat")
                .put("chat_type", "p2p")
                .put("message_type", "text")
                .put("content", "{\"text\":\"hello\"}");
        return envelope.toString();
    }

    private static String encrypted(String json, String key) throws Exception {
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(
                Cipher.ENCRYPT_MODE,
                new SecretKeySpec(
                        MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)), "AES"),
                new IvParameterSpec(iv));
        byte[] sealed = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
        byte[] all = new byte[16 + sealed.length];
        System.arraycopy(iv, 0, all, 0, 16);
        System.arraycopy(sealed, 0, all, 16, sealed.length);
        return JSON.createObjectNode()
                .put("encrypt", Base64.getEncoder().encodeToString(all))
                .toString();
    }

    private static WebhookRequest request(String body, Map<String, String> headers) {
        return new WebhookRequest(
                "POST", "/webhooks/feishu/work", headers, body.getBytes(StandardCharsets.UTF_8), "127.0.0.1:5555");
    }

    private static WebhookRequest signed(String body, String key, Instant at) throws Exception {
        String timestamp = Long.toString(at.getEpochSecond());
        String nonce = "n0nce";
        String signature = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest((timestamp + nonce + key + body).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> headers = new HashMap<>();
        headers.put("x-lark-request-timestamp", timestamp);
        headers.put("x-lark-request-nonce", nonce);
        headers.put("x-lark-signature", signature);
        return request(body, headers);
    }

    private static WebhookRequest withHeader(WebhookRequest request, String name, String value) {
        Map<String, String> headers = new HashMap<>(request.headers());
        headers.put(name, value);
        return new WebhookRequest(request.method(), request.path(), headers, request.body(), request.remoteAddress());
    }

    private static JsonNode body(WebhookResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private void assertRefused(WebhookResponse response, int status, String reason) throws Exception {
        assertThat(response.status()).isEqualTo(status);
        assertThat(body(response).path("msg").asText()).contains(reason);
        assertThat(accepted).isEmpty();
        assertThat(skipped).singleElement().satisfies(line -> assertThat(line)
                .contains("127.0.0.1:5555")
                .contains("refused (" + status + ")")
                .contains(reason)
                .doesNotContain(TOKEN)
                .doesNotContain(KEY));
    }

    @Test
    void aPlainEventWithTheRightTokenIsAcceptedThenAnswered200() throws Exception {
        WebhookResponse response = receiver(Optional.empty()).handle(request(event(TOKEN, "om_1"), Map.of()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(accepted).singleElement().satisfies(message -> {
            assertThat(message.platformMessageId()).isEqualTo("om_1");
            assertThat(message.text()).isEqualTo("hello");
        });
        assertThat(skipped).isEmpty();
    }

    @Test
    void aWrongOrMissingVerificationTokenIsRefused() throws Exception {
        assertRefused(
                receiver(Optional.empty()).handle(request(event("forged", "om_1"), Map.of())),
                401,
                "verification token does not match");
        skipped.clear();
        assertRefused(
                receiver(Optional.empty())
                        .handle(request(event(TOKEN, "om_1").replace("\"token\"", "\"tokn\""), Map.of())),
                401,
                "verification token does not match");
    }

    @Test
    void anEncryptedSignedEventIsDecryptedAndAccepted() throws Exception {
        WebhookResponse response =
                receiver(Optional.of(KEY)).handle(signed(encrypted(event(TOKEN, "om_2"), KEY), KEY, NOW));

        assertThat(response.status()).isEqualTo(200);
        assertThat(accepted).extracting(InboundMessage::platformMessageId).containsExactly("om_2");
    }

    @Test
    void aTamperedSignatureIsRefusedBeforeAnythingIsRead() throws Exception {
        WebhookRequest request = signed(encrypted(event(TOKEN, "om_3"), KEY), KEY, NOW);
        String signature = request.headers().get("x-lark-signature");
        WebhookRequest tampered = withHeader(
                request, "x-lark-signature", (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1));

        assertRefused(receiver(Optional.of(KEY)).handle(tampered), 401, "X-Lark-Signature does not match");
    }

    @Test
    void aSignatureMadeWithAnotherKeyIsRefused() throws Exception {
        assertRefused(
                receiver(Optional.of(KEY)).handle(signed(encrypted(event(TOKEN, "om_3"), KEY), "other-key", NOW)),
                401,
                "X-Lark-Signature does not match");
    }

    @Test
    void anUnsignedEventIsRefusedWhenAnEncryptKeyIsSet() throws Exception {
        assertRefused(
                receiver(Optional.of(KEY)).handle(request(encrypted(event(TOKEN, "om_4"), KEY), Map.of())),
                401,
                "carries no X-Lark-Signature");
    }

    @Test
    void aReplayedOldTimestampIsRefusedAndOneInsideTheWindowIsNot() throws Exception {
        Instant old = NOW.minus(WebhookReceiver.REPLAY_WINDOW).minusSeconds(1);
        assertRefused(
                receiver(Optional.of(KEY)).handle(signed(encrypted(event(TOKEN, "om_5"), KEY), KEY, old)),
                401,
                "X-Lark-Request-Timestamp is 43201 s old");

        // the platform's last retry, 6 h after the first delivery, even with its first timestamp
        Instant retry = NOW.minus(WebhookReceiver.REPLAY_WINDOW);
        assertThat(receiver(Optional.of(KEY))
                        .handle(signed(encrypted(event(TOKEN, "om_6"), KEY), KEY, retry))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aTimestampFromTheFutureIsRefusedBeyondTheClockSkew() throws Exception {
        Instant ahead = NOW.plus(WebhookReceiver.CLOCK_SKEW).plusSeconds(1);
        assertRefused(
                receiver(Optional.of(KEY)).handle(signed(encrypted(event(TOKEN, "om_5"), KEY), KEY, ahead)),
                401,
                "301 s ahead");

        Instant skewed = NOW.plus(WebhookReceiver.CLOCK_SKEW);
        assertThat(receiver(Optional.of(KEY))
                        .handle(signed(encrypted(event(TOKEN, "om_6"), KEY), KEY, skewed))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aBodyEncryptedWithAnotherKeyIsRefusedAsUndecryptable() throws Exception {
        // signed with the right key (the signature covers the body as sent), encrypted with another
        assertRefused(
                receiver(Optional.of(KEY)).handle(signed(encrypted(event(TOKEN, "om_7"), "other-key"), KEY, NOW)),
                400,
                "does not decrypt");
        skipped.clear();
        assertRefused(
                receiver(Optional.of(KEY)).handle(signed("{\"encrypt\":\"%%% not base64\"}", KEY, NOW)),
                400,
                "not base64");
    }

    @Test
    void plaintextIsRefusedWhenAKeyIsSetAndCiphertextWhenNoneIs() throws Exception {
        assertRefused(receiver(Optional.of(KEY)).handle(signed(event(TOKEN, "om_8"), KEY, NOW)), 400, "not encrypted");
        skipped.clear();
        assertRefused(
                receiver(Optional.empty()).handle(request(encrypted(event(TOKEN, "om_8"), KEY), Map.of())),
                400,
                "has no encrypt_key");
    }

    @Test
    void urlVerificationIsAnsweredWithTheChallengePlainOrEncrypted() throws Exception {
        String verification = "{\"challenge\":\"ch-123\",\"token\":\"" + TOKEN + "\",\"type\":\"url_verification\"}";

        WebhookResponse plain = receiver(Optional.empty()).handle(request(verification, Map.of()));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(body(plain).path("challenge").asText()).isEqualTo("ch-123");

        // encrypted and, as the platform does, unsigned
        WebhookResponse encrypted = receiver(Optional.of(KEY)).handle(request(encrypted(verification, KEY), Map.of()));
        assertThat(encrypted.status()).isEqualTo(200);
        assertThat(body(encrypted).path("challenge").asText()).isEqualTo("ch-123");
        assertThat(accepted).isEmpty();
        assertThat(skipped).isEmpty();
    }

    @Test
    void urlVerificationWithAWrongTokenIsRefused() throws Exception {
        assertRefused(
                receiver(Optional.empty())
                        .handle(request(
                                "{\"challenge\":\"c\",\"token\":\"forged\",\"type\":\"url_verification\"}", Map.of())),
                401,
                "verification token does not match");
    }

    @Test
    void aBodyThatIsNotJsonOrTooLargeIsRefused() throws Exception {
        assertRefused(receiver(Optional.empty()).handle(request("not json", Map.of())), 400, "not JSON");
        skipped.clear();
        assertRefused(
                receiver(Optional.empty())
                        .handle(request("{\"a\":\"" + "x".repeat(WebhookReceiver.MAX_BODY_BYTES) + "\"}", Map.of())),
                413,
                "at most " + WebhookReceiver.MAX_BODY_BYTES);
    }

    @Test
    void whenTheGatewayCannotStoreTheEventTheAnswerIs500SoThePlatformSendsItAgain() throws Exception {
        storeDown = true;
        WebhookResponse response = receiver(Optional.empty()).handle(request(event(TOKEN, "om_9"), Map.of()));

        assertThat(response.status()).isEqualTo(500);
        assertThat(skipped).isEmpty();
    }

    @Test
    void anAuthenticMalformedEventIsAnswered200AndReportedAsSkipped() throws Exception {
        String noChat = event(TOKEN, "om_10").replace("\"chat_id\":\"oc_chat\",", "");

        WebhookResponse response = receiver(Optional.empty()).handle(request(noChat, Map.of()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(accepted).isEmpty();
        assertThat(skipped)
                .singleElement()
                .satisfies(line -> assertThat(line).contains("om_10").contains("chat_id is missing"));
    }

    @Test
    void anotherEventTypeIsAnswered200AndNotCounted() throws Exception {
        String added = event(TOKEN, "om_11").replace("im.message.receive_v1", "im.chat.member.bot.added_v1");

        assertThat(receiver(Optional.empty()).handle(request(added, Map.of())).status())
                .isEqualTo(200);
        assertThat(accepted).isEmpty();
        assertThat(skipped).isEmpty();
    }
}
