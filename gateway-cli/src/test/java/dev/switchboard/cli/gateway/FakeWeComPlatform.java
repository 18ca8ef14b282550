package dev.switchboard.cli.gateway;

import dev.switchboard.testkit.wecom.BotReply;
import dev.switchboard.testkit.wecom.Callback;
import dev.switchboard.testkit.wecom.Command;
import dev.switchboard.testkit.wecom.FakeWeCom;
import dev.switchboard.testkit.wecom.FakeWeComBot;
import dev.switchboard.testkit.wecom.Fault;
import dev.switchboard.testkit.wecom.WeComChat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A {@link CrashPlatform} over the fake WeCom: the gateway's real {@code wecom} channel holds the AI bot's long
 * connection as account {@value #ACCOUNT}. Each conversation of a test is a group of its own, {@code
 * crash_group_<n>}, all in {@code allowed_conversation_ids}. Callbacks wait for a subscribed connection while the
 * gateway is down, and one the gateway never answered is delivered again (same {@code msgid}, fresh {@code req_id}):
 * a callback pushed to a process killed before it stored it is lost to the gateway, and only the platform's
 * redelivery brings it back.
 */
final class FakeWeComPlatform implements CrashPlatform {
    static final String ACCOUNT = "alerts";
    static final int GROUPS = 16;
    /**
     * Longer than an answer takes while the gateway keeps up. Callbacks answered later (the backlog after a restart)
     * or by a proactive message (which names no callback) are delivered again too, up to 3 times: the store's dedup
     * on {@code msgid} absorbs those, under load.
     */
    static final Duration REDELIVER_AFTER = Duration.ofSeconds(2);
    /**
     * How long the platform takes to acknowledge a reply it has already shown: a reply stays in flight (seen by the
     * user, not yet marked delivered) that long, so a kill at a random moment often catches one.
     */
    static final Duration ACK_DELAY = Duration.ofMillis(200);

    private static final int SLOW_ACKS = 10_000;

    private final FakeWeCom wecom;
    private final FakeWeComBot bot;
    private final Map<String, String> groups = new ConcurrentHashMap<>();
    /** Each message by its text: a reply sent as a proactive message names no msgid, only its (echoed) text. */
    private final Map<String, MessageKey> byText = new ConcurrentHashMap<>();
    /** Maps the fake's wall-clock timestamps onto this JVM's {@link System#nanoTime()}. */
    private final long baseNanos = System.nanoTime();

    private final Instant baseInstant = Instant.now();

    FakeWeComPlatform() {
        wecom = FakeWeCom.start();
        bot = wecom.addBot("aibot-crash", "CrashBotSecret0123456789").redeliverUnansweredAfter(REDELIVER_AFTER);
        bot.failNext(Command.RESPOND_MSG, SLOW_ACKS, Fault.delayAck(ACK_DELAY));
        bot.failNext(Command.SEND_MSG, SLOW_ACKS, Fault.delayAck(ACK_DELAY));
    }

    FakeWeComBot bot() {
        return bot;
    }

    @Override
    public String gatewayConfig() {
        String allowed = IntStream.range(0, GROUPS)
                .mapToObj(n -> "\"" + groupId(n) + "\"")
                .collect(Collectors.joining(", "));
        return """
                wecom.accounts.%s {
                  bot_id = "%s"
                  secret = "%s"
                  ws_url = "%s"
                  allowed_conversation_ids = [%s]
                }
                """
                .formatted(ACCOUNT, bot.botId(), bot.secret(), wecom.wsUrl(), allowed);
    }

    private static String groupId(int n) {
        return "crash_group_" + n;
    }

    /** The group the test calls {@code conversation}, assigned on first use. */
    private synchronized String group(String conversation) {
        return groups.computeIfAbsent(conversation, name -> {
            if (groups.size() == GROUPS) {
                throw new IllegalStateException("conversation " + name + ": only " + GROUPS + " groups are allowed");
            }
            return groupId(groups.size());
        });
    }

    @Override
    public MessageKey inject(String conversation, String text) {
        Callback callback = bot.userSays(WeComChat.group(group(conversation)), "alice", text);
        MessageKey key = new MessageKey(callback.chat().conversationId(), callback.msgid());
        byText.put(text, key);
        return key;
    }

    /**
     * Every message users saw from the bot: a finished stream answers the {@code msgid} of its callback; a proactive
     * markdown message (a reply resent after a restart, when the gateway no longer has the callback's {@code
     * req_id}) names none, so it is matched by its text, which the echo agent makes the message's own.
     */
    @Override
    public List<Delivery> deliveries() {
        return bot.replies().stream()
                .map(reply -> new Delivery(replyTo(reply), reply.content(), nanos(reply)))
                .toList();
    }

    private MessageKey replyTo(BotReply reply) {
        if (reply.replyTo().isPresent()) {
            return new MessageKey(reply.conversationId(), reply.replyTo().get());
        }
        MessageKey byContent = byText.get(reply.content());
        return byContent != null && byContent.conversation().equals(reply.conversationId())
                ? byContent
                : new MessageKey(reply.conversationId(), "unknown message (" + reply.kind() + ")");
    }

    private long nanos(BotReply reply) {
        return baseNanos + Duration.between(baseInstant, reply.at()).toNanos();
    }

    @Override
    public void close() {
        wecom.close();
    }
}
