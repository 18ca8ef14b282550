package dev.switchboard.channel.feishu;

import dev.switchboard.testkit.feishu.WebhookResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The TCK platform in webhook mode: the fake posts events, encrypted and signed, to the gateway's route {@code
 * /webhooks/feishu/tck}; the account carries the app's Verification Token and Encrypt Key. The gateway's port is
 * known only once it runs, so the test points the fake at it with {@link #deliverTo(int)} after each start.
 */
final class FeishuWebhookTckPlatform extends FeishuTckPlatform {
    static final String VERIFICATION_TOKEN = "tck-verification-token-5e1f";
    static final String ENCRYPT_KEY = "tck-encrypt-key-77a0c2";

    // posted by hand, not pushed: the fake would also deliver a pushed message properly
    private static final String GARBLED = "{\"schema\":\"2.0\",\"header\":{\"event_id\":\"ev_garbled\","
            + "\"event_type\":\"im.message.receive_v1\"},\"event\":{\"sender\":{\"sender_id\":{\"open_id\":"
            + "\"%s\"},\"sender_type\":\"user\"},\"message\":{\"message_id\":\"om_garbled\",\"chat_id\":\"%s\","
            + "\"chat_type\":\"p2p\",\"message_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"garbled\\\"}\"}}}";

    private volatile Optional<URI> route = Optional.empty();

    FeishuWebhookTckPlatform() {
        super(FeishuSettings.Mode.WEBHOOK);
        // the platform retries a delivery 4 times over hours; here every second, long enough to span a restart
        app().verificationToken(VERIFICATION_TOKEN)
                .encryptKey(Optional.of(ENCRYPT_KEY))
                .maxDeliveries(30);
    }

    /** From now on the fake delivers to the gateway listening on {@code port}. */
    void deliverTo(int port) {
        URI url = URI.create("http://127.0.0.1:" + port + "/webhooks/" + FeishuChannelProvider.ID + "/tck");
        route = Optional.of(url);
        app().deliverByWebhook(url);
    }

    /**
     * The fake posts each event on a thread of its own, so two messages written a moment apart could reach the
     * gateway in either order, which no user produces: each message's first delivery is answered (200, or 500
     * when the gateway could not take it) before the user writes the next one.
     */
    @Override
    public UserMessage userSays(String conversation, String text) {
        Pushed pushed = (Pushed) super.userSays(conversation, text);
        String eventId = pushed.message().eventId();
        app().awaitCondition(
                        "the first webhook delivery of event " + eventId + " is answered",
                        () -> app().webhookDeliveries().stream()
                                .anyMatch(delivery -> delivery.eventId().equals(eventId)),
                        Duration.ofSeconds(10));
        return pushed;
    }

    @Override
    public String accountHocon(List<String> allowed) {
        return super.accountHocon(allowed)
                + "verification_token = \"" + VERIFICATION_TOKEN + "\"\n"
                + "encrypt_key = \"" + ENCRYPT_KEY + "\"\n";
    }

    /**
     * Webhook mode has no connection for the platform to break; what can go wrong on the way in is a request
     * the route must refuse. One comes (its signature garbled in transit), and receiving must go on.
     */
    @Override
    public void breakReceiveConnection() {
        URI url = route.orElseThrow(() -> new IllegalStateException("no gateway to deliver to yet"));
        WebhookResponse refused =
                app().webhookSender(url).withTamperedSignature().post(GARBLED.formatted(user().openId(), ALLOWED));
        if (refused.status() != 401) {
            throw new AssertionError(
                    "the route answered a tampered signature " + refused.status() + " (expected: 401)");
        }
    }
}
