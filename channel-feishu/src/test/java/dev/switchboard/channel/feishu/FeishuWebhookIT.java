package dev.switchboard.channel.feishu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.testkit.feishu.BotMessage;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.feishu.FeishuChat;
import dev.switchboard.testkit.feishu.FeishuUser;
import dev.switchboard.testkit.feishu.UserMessage;
import dev.switchboard.testkit.feishu.WebhookDelivery;
import dev.switchboard.testkit.feishu.WebhookResponse;
import dev.switchboard.testkit.feishu.WebhookSender;
import dev.switchboard.testkit.gateway.TestGateways;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Webhook mode through a real gateway (SQLite in a temp dir, echo agent, port 0): the fake open platform posts
 * encrypted, signed events to {@code /webhooks/feishu/work} and reads the replies; forged requests are refused,
 * counted as dropped and never answered; no secret reaches the log.
 */
class FeishuWebhookIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "it-verification-token-9d3e";
    private static final String KEY = "it-encrypt-key-41b7f0";
    private static final String CHAT = "oc_webhook_room";

    @TempDir
    Path stateDir;

    private FakeFeishu feishu;
    private FakeFeishuApp app;
    private FeishuUser alice;
    private FeishuChat chat;
    private Gateway gateway;
    private URI route;
    private LogLines logs;

    @BeforeEach
    void setUp() {
        logs = LogLines.attach();
        feishu = FakeFeishu.start();
        app = feishu.addApp(FakeFeishu.newAppId(), "it-app-secret-0c5a2b", "Hook Bot")
                .verificationToken(TOKEN)
                .encryptKey(Optional.of(KEY))
                .ackTimeout(Duration.ofMillis(500));
        alice = app.user("Alice");
        chat = app.p2pChat(CHAT, alice);
        String hocon = "feishu.accounts.work {\n"
                + "  app_id = \"" + app.appId() + "\"\n"
                + "  app_secret = \"" + app.appSecret() + "\"\n"
                + "  base_url = \"" + feishu.baseUrl() + "\"\n"
                + "  mode = webhook\n"
                + "  verification_token = \"" + TOKEN + "\"\n"
                + "  encrypt_key = \"" + KEY + "\"\n"
                + "  allowed_chat_ids = [\"" + CHAT + "\"]\n"
                + "}\n";
        gateway = TestGateways.builder(ChannelRegistry.of(new FeishuChannelProvider()), hocon, stateDir)
                .build();
        gateway.start();
        await().atMost(WAIT).until(() -> account().state() == AccountState.CONNECTED);
        route = URI.create("http://127.0.0.1:" + gateway.port() + "/webhooks/feishu/work");
        app.deliverByWebhook(route);
    }

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        feishu.close();
        logs.close();
        assertThat(logs.lines())
                .as("log lines with a secret")
                .noneMatch(line -> line.contains(TOKEN) || line.contains(KEY) || line.contains(app.appSecret()));
    }

    private AccountStatus account() {
        return gateway.channels().get(0);
    }

    private WebhookSender sender() {
        return app.webhookSender(route);
    }

    private List<String> sentTexts() {
        return app.sentTo(CHAT).stream().map(BotMessage::text).toList();
    }

    /** Waits for {@code text}'s reply: replies in a chat keep their order, so what came before it came. */
    private void awaitAnswered(String text) {
        await().atMost(WAIT).until(() -> sentTexts().contains(text));
    }

    /** An event for a message the fake never delivered itself: a forged or replayed request carries it. */
    private static String forgedEvent(String messageId, String openId, String text) {
        return "{\"schema\":\"2.0\",\"header\":{\"event_id\":\"ev_" + messageId + "\",\"event_type\":"
                + "\"im.message.receive_v1\"},\"event\":{\"sender\":{\"sender_id\":{\"open_id\":\"" + openId
                + "\"},\"sender_type\":\"user\"},\"message\":{\"message_id\":\"" + messageId + "\",\"chat_id\":\""
                + CHAT + "\",\"chat_type\":\"p2p\",\"message_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"" + text
                + "\\\"}\"}}}";
    }

    @Test
    void anEncryptedSignedEventIsAnsweredOnce() {
        UserMessage hello = app.userSays(chat, alice, "hello over the webhook");

        awaitAnswered("hello over the webhook");
        app.userSays(chat, alice, "sentinel");
        awaitAnswered("sentinel");

        assertThat(sentTexts()).containsExactly("hello over the webhook", "sentinel");
        assertThat(app.sentTo(CHAT).get(0).repliedTo()).contains(hello.messageId());
        assertThat(app.webhookDeliveries())
                .filteredOn(delivery -> delivery.eventId().equals(hello.eventId()))
                .extracting(WebhookDelivery::status)
                .containsExactly(200);
        assertThat(account().inbound()).isEqualTo(2);
        assertThat(account().dropped()).isZero();
    }

    @Test
    void aTamperedSignatureIsRefusedCountedAndNeverAnswered() {
        WebhookResponse refused =
                sender().withTamperedSignature().post(forgedEvent("om_forged_1", alice.openId(), "forged"));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("X-Lark-Signature does not match");
        app.userSays(chat, alice, "sentinel");
        awaitAnswered("sentinel");
        assertThat(sentTexts()).containsExactly("sentinel");
        assertThat(account().dropped()).isEqualTo(1);
        assertThat(account().inbound()).isEqualTo(1);
        assertThat(logs.lines())
                .filteredOn(line -> line.contains("refused (401)"))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("X-Lark-Signature does not match"));
    }

    @Test
    void aWrongVerificationTokenIsRefused() {
        WebhookResponse refused =
                sender().withVerificationToken("forged-token").post(forgedEvent("om_forged_2", alice.openId(), "x"));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("verification token does not match");
        app.userSays(chat, alice, "sentinel");
        awaitAnswered("sentinel");
        assertThat(sentTexts()).containsExactly("sentinel");
        assertThat(account().dropped()).isEqualTo(1);
    }

    @Test
    void aRequestWithAnOldTimestampIsRefusedAsAReplay() {
        WebhookResponse refused = sender().withTimestamp(Instant.now().minus(Duration.ofHours(13)))
                .post(forgedEvent("om_replayed", alice.openId(), "replayed"));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("X-Lark-Request-Timestamp");
        app.userSays(chat, alice, "sentinel");
        awaitAnswered("sentinel");
        assertThat(sentTexts()).containsExactly("sentinel");
    }

    @Test
    void urlVerificationIsAnsweredWithTheChallenge() {
        WebhookSender.UrlVerification verification = sender().urlVerification();

        assertThat(verification.passed())
                .as(
                        "answer %s %s",
                        verification.response().status(),
                        verification.response().body())
                .isTrue();
        assertThat(sender().withVerificationToken("forged-token")
                        .urlVerification()
                        .passed())
                .isFalse();
    }

    @Test
    void aReSentEventIsAnsweredOnce() {
        UserMessage hello = app.userSays(chat, alice, "only once");
        awaitAnswered("only once");

        app.pushAgain(hello);
        await().atMost(WAIT)
                .until(() -> app.webhookDeliveries().stream()
                                .filter(delivery -> delivery.eventId().equals(hello.eventId()))
                                .count()
                        == 2);
        app.userSays(chat, alice, "sentinel");
        awaitAnswered("sentinel");

        assertThat(sentTexts()).containsExactly("only once", "sentinel");
        assertThat(app.webhookDeliveries())
                .filteredOn(delivery -> delivery.eventId().equals(hello.eventId()))
                .extracting(WebhookDelivery::status)
                .containsExactly(200, 200);
    }

    /** Records every log event (message, MDC and throwable chain, as text) while attached. */
    private static final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

        static LogLines attach() {
            LogLines capture = new LogLines();
            capture.setContext(capture.root.getLoggerContext());
            capture.start();
            capture.root.addAppender(capture);
            return capture;
        }

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getLoggerName())
                    .append(' ')
                    .append(event.getFormattedMessage())
                    .append(' ')
                    .append(event.getMDCPropertyMap());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            root.detachAppender(this);
            stop();
        }
    }
}
