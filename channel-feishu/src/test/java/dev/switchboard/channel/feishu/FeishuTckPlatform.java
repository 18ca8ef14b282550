package dev.switchboard.channel.feishu;

import static java.util.Objects.requireNonNull;

import dev.switchboard.testkit.feishu.Api;
import dev.switchboard.testkit.feishu.BotMessage;
import dev.switchboard.testkit.feishu.FakeFeishu;
import dev.switchboard.testkit.feishu.FakeFeishuApp;
import dev.switchboard.testkit.feishu.Fault;
import dev.switchboard.testkit.feishu.FeishuChat;
import dev.switchboard.testkit.feishu.FeishuUser;
import dev.switchboard.testkit.tck.TckPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@link TckPlatform} on a {@link FakeFeishu}: one app, the single chats {@code oc_tck_allowed} and {@code
 * oc_tck_other} (single chats need no mention), account keys as in SPEC §2.2 with {@code base_url} at the fake.
 * The platform fault cuts the long connection (no close frame); refused sends are replies answered 500, 429
 * (reset 1 s) or 400 {@code 230002 Bot/User can NOT be out of the chat.}; the malformed payloads are
 * {@code im.message.receive_v1} events no channel can turn into a message. The mode is a constructor argument
 * so the webhook mode's TCK reuses it.
 */
public class FeishuTckPlatform implements TckPlatform {
    public static final String ALLOWED = "oc_tck_allowed";
    public static final String OTHER = "oc_tck_other";
    /** How long the fake waits for an acknowledgement before it pushes again (the platform's 3 s, shortened). */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);

    private static final String BOT_NOT_IN_CHAT = "Bot/User can NOT be out of the chat.";

    private final FeishuSettings.Mode mode;
    private final FakeFeishu feishu = FakeFeishu.start();
    private final FakeFeishuApp app;
    private final FeishuUser user;
    private final Map<String, FeishuChat> chats;
    private final List<InvalidSettings> invalid = new ArrayList<>();

    public FeishuTckPlatform(FeishuSettings.Mode mode) {
        this.mode = requireNonNull(mode, "mode is null");
        app = feishu.addApp(FakeFeishu.newAppId(), "tck-app-secret-0123456789", "TCK Bot")
                .ackTimeout(ACK_TIMEOUT);
        user = app.user("Tess");
        chats = Map.of(ALLOWED, app.p2pChat(ALLOWED, user), OTHER, app.p2pChat(OTHER, app.user("Otto")));
        invalid.add(new InvalidSettings("app_secret = \"s\"\nallowed_chat_ids = [\"" + ALLOWED + "\"]", "app_id"));
        invalid.add(new InvalidSettings(
                "app_id = \"" + app.appId() + "\"\nallowed_chat_ids = [\"" + ALLOWED + "\"]", "app_secret"));
        invalid.add(new InvalidSettings(
                "app_id = \"" + app.appId() + "\"\napp_secret = \"s\"\ndomain = \"larksuite\"\nallowed_chat_ids = [\""
                        + ALLOWED + "\"]",
                "domain"));
        invalid.add(new InvalidSettings(
                "app_id = \"" + app.appId() + "\"\napp_secret = \"s\"\nallowed_chat_ids = [\"general\"]",
                "allowed_chat_ids"));
    }

    public FakeFeishu feishu() {
        return feishu;
    }

    public FakeFeishuApp app() {
        return app;
    }

    public FeishuUser user() {
        return user;
    }

    public FeishuChat chat(String conversation) {
        return requireNonNull(chats.get(conversation), () -> "no chat " + conversation + " on the TCK platform");
    }

    public FeishuSettings.Mode mode() {
        return mode;
    }

    @Override
    public String channelId() {
        return FeishuChannelProvider.ID;
    }

    @Override
    public String accountHocon(List<String> allowed) {
        return "app_id = \"" + app.appId() + "\"\n"
                + "app_secret = \"" + app.appSecret() + "\"\n"
                + "base_url = \"" + feishu.baseUrl() + "\"\n"
                + "mode = \"" + mode.wireName() + "\"\n"
                + "allowed_chat_ids = ["
                + allowed.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(", ")) + "]\n";
    }

    @Override
    public String allowedConversation() {
        return ALLOWED;
    }

    @Override
    public String otherConversation() {
        return OTHER;
    }

    /** A message the fake pushed. */
    public record Pushed(dev.switchboard.testkit.feishu.UserMessage message) implements UserMessage {}

    @Override
    public UserMessage userSays(String conversation, String text) {
        FeishuChat chat = chat(conversation);
        FeishuUser from = conversation.equals(ALLOWED) ? user : app.user("Otto");
        return new Pushed(app.userSays(chat, from, text));
    }

    @Override
    public void redeliver(UserMessage message) {
        app.pushAgain(((Pushed) message).message());
    }

    @Override
    public List<String> sentTexts(String conversation) {
        return app.sentTo(conversation).stream().map(BotMessage::text).toList();
    }

    @Override
    public void breakReceiveConnection() {
        app.severConnections();
    }

    @Override
    public String refuseNextSend(SendRefusal refusal) {
        switch (refusal) {
            case SERVER_ERROR -> {
                app.failNext(Api.REPLY, 1, Fault.serverError(500));
                return "500";
            }
            case RATE_LIMITED -> {
                app.failNext(Api.REPLY, 1, Fault.rateLimited(1));
                return "99991400";
            }
            case PERMANENT -> {
                app.failNext(Api.REPLY, 1, Fault.botNotInChat());
                return BOT_NOT_IN_CHAT;
            }
        }
        throw new IllegalArgumentException("refusal " + refusal);
    }

    @Override
    public List<String> malformedPayloads() {
        return List.of("a message without message_id", "a sender without open_id");
    }

    @Override
    public void deliverMalformed(String conversation, String name) {
        String sender = "{\"sender_id\":{\"open_id\":\"" + user.openId() + "\"},\"sender_type\":\"user\"}";
        String event =
                switch (name) {
                    case "a message without message_id" -> "{\"sender\":" + sender + ",\"message\":{\"chat_id\":\""
                            + conversation + "\",\"chat_type\":\"p2p\",\"message_type\":\"text\","
                            + "\"content\":\"{\\\"text\\\":\\\"no id\\\"}\"}}";
                    case "a sender without open_id" -> "{\"sender\":{\"sender_id\":{},\"sender_type\":\"user\"},"
                            + "\"message\":{\"message_id\":\"om_malformed_sender\",\"chat_id\":\"" + conversation
                            + "\",\"chat_type\":\"p2p\",\"message_type\":\"text\","
                            + "\"content\":\"{\\\"text\\\":\\\"who\\\"}\"}}";
                    default -> throw new IllegalArgumentException("no malformed payload " + name);
                };
        app.pushEvent("im.message.receive_v1", event);
    }

    @Override
    public int openConnections() {
        return app.openConnections();
    }

    @Override
    public List<InvalidSettings> invalidAccountSettings() {
        return invalid;
    }

    @Override
    public Set<String> platformThreadPrefixes() {
        return Set.of("fake-feishu-", "HttpClient-");
    }

    @Override
    public void close() {
        feishu.close();
    }
}
