package dev.switchboard.channel.wecom;

import static java.util.Objects.requireNonNull;

import dev.switchboard.testkit.tck.TckPlatform;
import dev.switchboard.testkit.wecom.Callback;
import dev.switchboard.testkit.wecom.Command;
import dev.switchboard.testkit.wecom.FakeWeCom;
import dev.switchboard.testkit.wecom.FakeWeComBot;
import dev.switchboard.testkit.wecom.Fault;
import dev.switchboard.testkit.wecom.WeComChat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@link TckPlatform} on a {@link FakeWeCom}: one AI bot, the groups {@code tck_allowed} and {@code tck_other},
 * account keys as in SPEC §2.2 with {@code ws_url} at the fake. The long connection has no acknowledgement of a
 * callback: the platform pushes a message again while it is unanswered, which the fake does after {@link
 * #REDELIVER_AFTER} (a message whose accept failed comes again that way). The platform fault cuts the socket (no
 * close frame); refused sends are stream replies acknowledged {@code -1 system busy}, {@code 846607} (too often) or
 * {@code 40058} (an invalid parameter); the malformed payloads are the fake's.
 */
public class WeComTckPlatform implements TckPlatform {
    public static final String ALLOWED = "tck_allowed";
    public static final String OTHER = "tck_other";
    /** How long an unanswered message waits before the fake pushes it again. */
    public static final Duration REDELIVER_AFTER = Duration.ofSeconds(3);

    static final String INVALID_PARAMETER = "stream.content invalid. invalid Request Parameter";

    private final FakeWeCom wecom = FakeWeCom.start();
    private final FakeWeComBot bot;
    private final Map<String, WeComChat> chats =
            Map.of(ALLOWED, WeComChat.group(ALLOWED), OTHER, WeComChat.group(OTHER));

    public WeComTckPlatform() {
        bot = wecom.addBot("aibot-tck", "tck-bot-secret-0123456789").redeliverUnansweredAfter(REDELIVER_AFTER);
    }

    public FakeWeCom wecom() {
        return wecom;
    }

    public FakeWeComBot bot() {
        return bot;
    }

    WeComChat chat(String conversation) {
        return requireNonNull(chats.get(conversation), () -> "no chat " + conversation + " on the TCK platform");
    }

    @Override
    public String channelId() {
        return WeComChannelProvider.ID;
    }

    @Override
    public String accountHocon(List<String> allowed) {
        return "bot_id = \"" + bot.botId() + "\"\n"
                + "secret = \"" + bot.secret() + "\"\n"
                + "ws_url = \"" + wecom.wsUrl() + "\"\n"
                + "allowed_conversation_ids = ["
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
    public record Pushed(Callback callback) implements UserMessage {}

    @Override
    public UserMessage userSays(String conversation, String text) {
        return new Pushed(bot.userSays(chat(conversation), conversation.equals(ALLOWED) ? "tess" : "otto", text));
    }

    @Override
    public void redeliver(UserMessage message) {
        bot.redeliver(((Pushed) message).callback());
    }

    @Override
    public List<String> sentTexts(String conversation) {
        return bot.texts(conversation);
    }

    @Override
    public void breakReceiveConnection() {
        bot.severConnections();
    }

    @Override
    public String refuseNextSend(SendRefusal refusal) {
        switch (refusal) {
            case SERVER_ERROR -> {
                bot.failNext(Command.RESPOND_MSG, 1, Fault.systemBusy());
                return "system busy";
            }
            case RATE_LIMITED -> {
                bot.failNext(Command.RESPOND_MSG, 1, Fault.rateLimited());
                return "846607";
            }
            case PERMANENT -> {
                bot.failNext(Command.RESPOND_MSG, 1, Fault.invalidParameter("stream.content"));
                return INVALID_PARAMETER;
            }
        }
        throw new IllegalArgumentException("refusal " + refusal);
    }

    @Override
    public List<String> malformedPayloads() {
        return FakeWeComBot.malformedPayloads();
    }

    @Override
    public void deliverMalformed(String conversation, String name) {
        bot.deliverMalformed(chat(conversation), name);
    }

    @Override
    public int openConnections() {
        return wecom.openConnections();
    }

    @Override
    public List<InvalidSettings> invalidAccountSettings() {
        String allowed = "allowed_conversation_ids = [\"" + ALLOWED + "\"]\n";
        String credentials = "bot_id = \"" + bot.botId() + "\"\nsecret = \"s\"\n";
        return List.of(
                new InvalidSettings("secret = \"s\"\n" + allowed, "bot_id"),
                new InvalidSettings("bot_id = \"" + bot.botId() + "\"\n" + allowed, "secret"),
                new InvalidSettings(
                        credentials + "ws_url = \"https://openws.work.weixin.qq.com\"\n" + allowed, "ws_url"),
                new InvalidSettings(credentials + "ping_interval = 90s\n" + allowed, "ping_interval"),
                new InvalidSettings(credentials + "allowed_conversation_ids = [\"\"]\n", "allowed_conversation_ids"));
    }

    @Override
    public Set<String> platformThreadPrefixes() {
        return Set.of(wecom.threadNamePrefix());
    }

    @Override
    public void close() {
        wecom.close();
    }
}
