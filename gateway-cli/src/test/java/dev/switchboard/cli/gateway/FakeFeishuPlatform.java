package dev.switchboard.cli.gateway;

import dev.switchboard.testkit.feishu.BotMessage;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.feishu.FeishuChat;
import dev.switchboard.testkit.feishu.FeishuUser;
import dev.switchboard.testkit.feishu.UserMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A {@link CrashPlatform} over the fake Feishu open platform: the gateway's real {@code feishu} channel holds
 * its long connection as account {@value #ACCOUNT}. Each conversation of a test is the single chat of a user of
 * its own, {@code oc_crash_<n>}, all in {@code allowed_chat_ids}. Events wait for a connection while the gateway
 * is down and are pushed again until acknowledged, as the platform does.
 */
final class FakeFeishuPlatform implements CrashPlatform {
    static final String ACCOUNT = "work";
    static final int CHATS = 16;

    private final FakeFeishu feishu;
    private final FakeFeishuApp app;
    private final Map<String, FeishuChat> chats = new HashMap<>();
    private final Map<String, FeishuUser> users = new HashMap<>();
    /** Maps the fake's wall-clock timestamps onto this JVM's {@link System#nanoTime()}. */
    private final long baseNanos = System.nanoTime();

    private final Instant baseInstant = Instant.now();

    FakeFeishuPlatform() {
        feishu = FakeFeishu.start();
        app = feishu.addApp(FakeFeishu.newAppId(), "CrashAppSecret0123456789", "Crash Bot")
                .ackTimeout(Duration.ofSeconds(1))
                // the platform gives up after a few pushes; kills here come faster than its schedule
                .maxDeliveries(1_000);
    }

    FakeFeishuApp app() {
        return app;
    }

    @Override
    public String gatewayConfig() {
        String allowed =
                IntStream.range(0, CHATS).mapToObj(n -> "\"" + chatId(n) + "\"").collect(Collectors.joining(", "));
        return """
                feishu.accounts.%s {
                  app_id = "%s"
                  app_secret = "%s"
                  base_url = "%s"
                  allowed_chat_ids = [%s]
                }
                """
                .formatted(ACCOUNT, app.appId(), app.appSecret(), feishu.baseUrl(), allowed);
    }

    private static String chatId(int n) {
        return "oc_crash_" + n;
    }

    /** The single chat the test calls {@code conversation}, created on first use. */
    private synchronized FeishuChat chat(String conversation) {
        return chats.computeIfAbsent(conversation, name -> {
            if (chats.size() == CHATS) {
                throw new IllegalStateException("conversation " + name + ": only " + CHATS + " chats are allowed");
            }
            FeishuUser user = app.user(name);
            FeishuChat chat = app.p2pChat(chatId(chats.size()), user);
            users.put(chat.chatId(), user);
            return chat;
        });
    }

    @Override
    public MessageKey inject(String conversation, String text) {
        FeishuChat chat = chat(conversation);
        FeishuUser user;
        synchronized (this) {
            user = users.get(chat.chatId());
        }
        UserMessage message = app.userSays(chat, user, text);
        return new MessageKey(chat.chatId(), message.messageId());
    }

    /**
     * The replies the fake accepted, once per {@code uuid}: a resend of a reply the platform already has (the
     * gateway was killed before it recorded the send) is deduplicated by the fake, as by the platform.
     */
    @Override
    public List<Delivery> deliveries() {
        return app.sent().stream()
                .filter(sent -> sent.repliedTo().isPresent())
                .map(sent -> new Delivery(
                        new MessageKey(sent.chatId(), sent.repliedTo().get()), sent.text(), nanos(sent)))
                .toList();
    }

    private long nanos(BotMessage sent) {
        return baseNanos + Duration.between(baseInstant, sent.at()).toNanos();
    }

    @Override
    public void close() {
        feishu.close();
    }
}
