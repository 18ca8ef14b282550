package dev.switchboard.channel.feishu.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.feishu.internal.MessageEvents.Ignored;
import dev.switchboard.channel.feishu.internal.MessageEvents.Malformed;
import dev.switchboard.channel.feishu.internal.MessageEvents.Message;
import dev.switchboard.channel.feishu.internal.MessageEvents.Read;
import dev.switchboard.channel.feishu.internal.MessageEvents.UnparsableException;
import dev.switchboard.channel.feishu.internal.WebhookCrypto.UndecryptableException;
import dev.switchboard.spi.InboundRejectedException;
import dev.switchboard.spi.InboundSink;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.WebhookHandler;
import dev.switchboard.spi.WebhookRequest;
import dev.switchboard.spi.WebhookResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An account's webhook route in webhook mode ({@code /webhooks/feishu/<account>}): what the open platform posts
 * there is authenticated, then read with {@link MessageEvents} and handed to the gateway, and answered 200 only
 * once the gateway has decided about it (accepted durably, a duplicate, or dropped by the allowlist).
 *
 * <p>Authentication, in this order: with {@code encrypt_key}, a signed request's {@code X-Lark-Signature} must be
 * {@code hex(SHA-256(timestamp + nonce + encrypt_key + body))} and its {@code X-Lark-Request-Timestamp} at most
 * {@link #REPLAY_WINDOW} old (and at most {@link #CLOCK_SKEW} ahead); the body must be {@code {"encrypt": ...}} and decrypt; only a
 * {@code url_verification} (which the platform never signs) may come unsigned. Then the Verification Token:
 * {@code header.token} of a schema 2.0 event, the top-level {@code token} of a schema 1.0 one or a {@code
 * url_verification}. Secrets are compared in constant time.
 *
 * <p>A request that fails any of these is refused (401 for a signature, timestamp or token; 400 for a body that
 * is not JSON, not encrypted when it must be, or does not decrypt; 413 over {@link #MAX_BODY_BYTES}) with a
 * one-line reason, never processed, and reported through {@code skipped}: the gateway counts it as dropped for
 * the account and logs the reason once (reasons name the peer and the check, never a secret or the body). An
 * authenticated event that is not a message is answered 200 (the platform would deliver it again and again); a
 * malformed one is also reported through {@code skipped}. When the gateway cannot take a message ({@link
 * InboundRejectedException}) the answer is 500, so the platform delivers it again.
 */
public final class WebhookReceiver implements WebhookHandler {
    /**
     * How old a signed request's timestamp may be. Longer than the platform's whole retry schedule (about 15 s,
     * 5 min, 1 h and 6 h after the first delivery), so a genuine retry is never refused even if it kept its
     * first timestamp; far shorter than the gateway's dedup retention (7 days), so a captured request played
     * back inside the window is only a duplicate the gateway recognises. Older ones are refused.
     */
    public static final Duration REPLAY_WINDOW = Duration.ofHours(12);

    /** How far ahead of the gateway's clock a timestamp may be: clocks drift, requests do not come from the future. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * The largest body read, 1 MiB: the gateway's own webhook limit (it answers 413 itself above it), checked here
     * too for a host without one. A text message's event, even encrypted (base64, a third larger), is far smaller.
     */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    static final String TIMESTAMP = "X-Lark-Request-Timestamp";
    static final String NONCE = "X-Lark-Request-Nonce";
    static final String SIGNATURE = "X-Lark-Signature";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK = "{\"code\":0,\"msg\":\"success\"}";

    private final Optional<Secret> verificationToken;
    private final Optional<WebhookCrypto> crypto;
    private final MessageEvents events;
    private final InboundSink inbound;
    private final Clock clock;
    private final Consumer<String> skipped;

    /**
     * @param verificationToken the app's Verification Token; empty accepts any token (the settings require one
     *     in webhook mode)
     * @param encryptKey the app's Encrypt Key; empty when the app sends plaintext
     * @param skipped where refused requests and malformed events are reported ({@code StatusReporter::skipped})
     */
    public WebhookReceiver(
            Optional<Secret> verificationToken,
            Optional<Secret> encryptKey,
            MessageEvents events,
            InboundSink inbound,
            Clock clock,
            Consumer<String> skipped) {
        this.verificationToken = requireNonNull(verificationToken, "verificationToken is null");
        this.crypto = requireNonNull(encryptKey, "encryptKey is null")
                .filter(key -> !key.isEmpty())
                .map(WebhookCrypto::new);
        this.events = requireNonNull(events, "events is null");
        this.inbound = requireNonNull(inbound, "inbound is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.skipped = requireNonNull(skipped, "skipped is null");
    }

    @Override
    public WebhookResponse handle(WebhookRequest request) {
        try {
            return answer(request);
        } catch (Refused refused) {
            skipped.accept("webhook request from " + request.remoteAddress() + " refused (" + refused.status + "): "
                    + refused.getMessage());
            return WebhookResponse.json(
                    refused.status,
                    JSON.createObjectNode()
                            .put("code", refused.status)
                            .put("msg", refused.getMessage())
                            .toString());
        }
    }

    private WebhookResponse answer(WebhookRequest request) throws Refused {
        byte[] body = request.body();
        if (body.length > MAX_BODY_BYTES) {
            throw new Refused(413, "a body of " + body.length + " bytes (expected: at most " + MAX_BODY_BYTES + ")");
        }
        boolean signed = false;
        if (crypto.isPresent() && request.header(SIGNATURE).isPresent()) {
            checkSignature(request, crypto.get());
            signed = true;
        }
        JsonNode outer = parse(body);
        JsonNode envelope;
        if (crypto.isPresent()) {
            if (!outer.path("encrypt").isTextual()) {
                throw new Refused(
                        400,
                        "the body is not encrypted (expected: {\"encrypt\":...}, since this account's"
                                + " encrypt_key is set)");
            }
            try {
                envelope = parse(crypto.get().decrypt(outer.path("encrypt").asText()));
            } catch (UndecryptableException e) {
                throw new Refused(400, e.getMessage());
            }
        } else if (outer.has("encrypt")) {
            throw new Refused(
                    400,
                    "the body is encrypted but this account has no encrypt_key (expected: encrypt_key"
                            + " set to the app's Encrypt Key, or encryption turned off in the developer console)");
        } else {
            envelope = outer;
        }
        boolean verification = envelope.path("type").asText("").equals("url_verification");
        if (crypto.isPresent() && !signed && !verification) {
            throw new Refused(
                    401,
                    "the request carries no " + SIGNATURE + " (expected: a signed request, since this"
                            + " account's encrypt_key is set)");
        }
        checkToken(envelope);
        if (verification) {
            return WebhookResponse.json(
                    200,
                    JSON.createObjectNode()
                            .put("challenge", envelope.path("challenge").asText(""))
                            .toString());
        }
        Read read = events.read(envelope, clock.instant());
        if (read instanceof Message message) {
            try {
                inbound.accept(message.message());
            } catch (InboundRejectedException e) {
                // not acknowledged: the platform delivers the event again
                return WebhookResponse.json(
                        500, "{\"code\":500,\"msg\":\"the gateway could not store the event; deliver it again\"}");
            }
        } else if (read instanceof Malformed malformed) {
            // answered 200: the platform would deliver it again and again, and it will never read better
            skipped.accept(malformed.reason());
        } else if (!(read instanceof Ignored)) {
            throw new IllegalStateException("unknown read " + read);
        }
        return WebhookResponse.json(200, OK);
    }

    private void checkSignature(WebhookRequest request, WebhookCrypto crypto) throws Refused {
        String timestamp = request.header(TIMESTAMP).orElse("");
        String nonce = request.header(NONCE).orElse("");
        String signature = request.header(SIGNATURE).orElse("");
        if (!crypto.signatureMatches(timestamp, nonce, request.body(), signature)) {
            throw new Refused(
                    401,
                    SIGNATURE + " does not match the body (expected: hex SHA-256 of " + TIMESTAMP + " + " + NONCE
                            + " + encrypt_key + body; is encrypt_key the app's Encrypt Key?)");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new Refused(401, TIMESTAMP + " is not a number of seconds (expected: Unix time in seconds)");
        }
        long age = clock.instant().getEpochSecond() - seconds;
        if (age > REPLAY_WINDOW.toSeconds()) {
            throw new Refused(
                    401,
                    TIMESTAMP + " is " + age + " s old (expected: at most " + REPLAY_WINDOW.toSeconds()
                            + " s; a replayed request, or a clock out of sync)");
        }
        if (-age > CLOCK_SKEW.toSeconds()) {
            throw new Refused(
                    401,
                    TIMESTAMP + " is " + -age + " s ahead of the gateway's clock (expected: at most "
                            + CLOCK_SKEW.toSeconds() + " s; is a clock out of sync?)");
        }
    }

    private void checkToken(JsonNode envelope) throws Refused {
        if (verificationToken.isEmpty()) {
            return;
        }
        @Nullable
        String token = envelope.path("header").isObject()
                ? envelope.path("header").path("token").textValue()
                : envelope.path("token").textValue();
        if (!verificationToken.get().matches(token)) {
            throw new Refused(
                    401,
                    "the verification token does not match (expected: the app's Verification Token"
                            + " in header.token, or token for url_verification and schema 1.0)");
        }
    }

    private static JsonNode parse(byte[] body) throws Refused {
        JsonNode node;
        try {
            node = MessageEvents.parse(body);
        } catch (UnparsableException e) {
            throw new Refused(400, e.getMessage());
        }
        if (!node.isObject()) {
            throw new Refused(400, "the body is not a JSON object (expected: an event envelope or {\"encrypt\":...})");
        }
        return node;
    }

    /** A request that fails authentication or cannot be read: answered {@code status}, never processed. */
    private static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(requireNonNull(message, "message is null"), null, false, false);
            this.status = status;
        }

        @Override
        public String getMessage() {
            return requireNonNull(super.getMessage());
        }
    }
}
